package dev.orchestrator.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The store's own JSON form of specs and labels. It is a storage format, independent of the
 * REST API's: snake_case names, durations as {@code 10s} ({@link Validation#format}), restart
 * policies as their wire name, map keys sorted, nulls left out.
 *
 * <p>A spec is stored <em>without</em> its replica count (that lives in its own column), so
 * the JSON text of a spec changes exactly when its revision must. {@link #encodeSpec} is
 * canonical: two equal specs give the same text.
 *
 * <p>Thread-safe. Jackson never calls {@code setAccessible} here: the api module exports its
 * packages but does not open them, and the records' public constructors and accessors are all
 * Jackson needs.
 */
final class Json {
    private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h)");

    private static final int DECODED_LIMIT = 4096;
    private final ObjectMapper mapper;
    private final Map<SpecKey, ServiceSpec> decoded = new ConcurrentHashMap<>();
    private final JavaType labelsType;

    Json() {
        var module = new SimpleModule("orchestrator-store")
                .addSerializer(Duration.class, new DurationSerializer())
                .addDeserializer(Duration.class, new DurationDeserializer())
                .addSerializer(RestartPolicy.class, new RestartPolicySerializer())
                .addDeserializer(RestartPolicy.class, new RestartPolicyDeserializer());
        mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
                .disable(MapperFeature.OVERRIDE_PUBLIC_ACCESS_MODIFIERS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                // A field dropped from a record in a later version must not make old rows unreadable.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(module)
                .build();
        labelsType = mapper.getTypeFactory().constructMapType(TreeMap.class, String.class, String.class);
    }

    /**
     * @param spec a spec
     * @return its canonical JSON, without the replica count
     */
    String encodeCheck(dev.orchestrator.api.HealthCheckSpec check) {
        try {
            return mapper.writeValueAsString(check);
        } catch (JsonProcessingException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot encode a health check: " + e.getOriginalMessage());
        }
    }

    dev.orchestrator.api.HealthCheckSpec decodeCheck(String json) {
        try {
            return mapper.readValue(json, dev.orchestrator.api.HealthCheckSpec.class);
        } catch (JsonProcessingException | OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "not a health check: " + e.getMessage());
        }
    }

    String encodeSpec(ServiceSpec spec) {
        try {
            ObjectNode tree = mapper.valueToTree(spec);
            tree.remove("replicas");
            return mapper.writeValueAsString(tree);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL,
                    "state store: cannot encode the spec of service '" + spec.name() + "'", e);
        }
    }

    /**
     * @param name     the service name, for messages
     * @param json     JSON from {@link #encodeSpec}
     * @param replicas the replica count
     * @return the spec
     * @throws OrchestratorException ({@code INTERNAL}) if the text is not a valid spec
     */
    ServiceSpec decodeSpec(String name, String json, int replicas) {
        // Every pass of the assigner, every rebuild of the nodes' views and every reconcile
        // reads specs that rarely change: decoded once per distinct text (specs are immutable).
        var key = new SpecKey(name, json, replicas);
        ServiceSpec cached = decoded.get(key);
        if (cached != null) {
            return cached;
        }
        ServiceSpec spec = parseSpec(name, json, replicas);
        if (decoded.size() >= DECODED_LIMIT) {
            decoded.clear(); // bounded: a burst of distinct specs costs re-decoding, never memory
        }
        decoded.put(key, spec);
        return spec;
    }

    private record SpecKey(String name, String json, int replicas) {
    }

    private ServiceSpec parseSpec(String name, String json, int replicas) {
        try {
            var tree = (ObjectNode) mapper.readTree(json);
            tree.put("replicas", replicas);
            return mapper.treeToValue(tree, ServiceSpec.class);
        } catch (IOException | RuntimeException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL,
                    "state store: the stored spec of service '" + name + "' cannot be read", e);
        }
    }

    /**
     * @param labels node labels
     * @return a JSON object with sorted keys
     */
    String encodeLabels(Map<String, String> labels) {
        try {
            return mapper.writeValueAsString(new TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "state store: cannot encode node labels", e);
        }
    }

    /**
     * @param node the node name, for messages
     * @param json a JSON object of strings
     * @return the labels
     */
    Map<String, String> decodeLabels(String node, String json) {
        try {
            return mapper.readValue(json, labelsType);
        } catch (IOException | RuntimeException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL,
                    "state store: the stored labels of node '" + node + "' cannot be read", e);
        }
    }

    /** {@code 10s}, {@code 1500ms}; zero as {@code 0s} ({@link Validation#duration} refuses zero). */
    private static final class DurationSerializer extends StdScalarSerializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.isZero() ? "0s" : Validation.format(value));
        }
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text != null && ZERO.matcher(text).matches()) {
                return Duration.ZERO;
            }
            return Validation.duration(String.valueOf(p.currentName()), text);
        }
    }

    private static final class RestartPolicySerializer extends StdScalarSerializer<RestartPolicy> {
        private static final long serialVersionUID = 1L;

        RestartPolicySerializer() {
            super(RestartPolicy.class);
        }

        @Override
        public void serialize(RestartPolicy value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeString(value.wireName());
        }
    }

    private static final class RestartPolicyDeserializer extends StdScalarDeserializer<RestartPolicy> {
        private static final long serialVersionUID = 1L;

        RestartPolicyDeserializer() {
            super(RestartPolicy.class);
        }

        @Override
        public RestartPolicy deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return RestartPolicy.parse(p.getValueAsString());
        }
    }
}
