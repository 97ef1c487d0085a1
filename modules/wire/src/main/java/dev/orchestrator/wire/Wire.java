package dev.orchestrator.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.util.List;

/**
 * The REST API's one JSON mapping, used by the server and the CLI alike: snake_case names, map
 * entries sorted by key; when reading a request, unknown fields, trailing data and scalars of the
 * wrong type (no coercion) are refused, as {@link ErrorCode#MALFORMED_REQUEST}.
 */
public final class Wire {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"replicas": 1, "replicas": 9} is refused, not read as whichever came last.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // ALLOW_COERCION_OF_SCALARS does not cover numbers and booleans read as strings.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /**
     * The same mapping, writing no null field: a client's request states what the user gave and
     * nothing else, so the server's own defaults apply to the rest.
     */
    private static final ObjectMapper OMIT_ABSENT = MAPPER.copy()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    /**
     * Reads answers leniently: a field added by a newer server, or one an older server lacks
     * (a number then reads as 0), is no reason for a client to fail.
     */
    private static final ObjectReader ANSWERS = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Wire() {
    }

    /**
     * @param body the request body
     * @param type the record to bind
     * @param <T>  its type
     * @return the bound record
     * @throws OrchestratorException {@link ErrorCode#MALFORMED_REQUEST} naming what is wrong
     */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new OrchestratorException(ErrorCode.MALFORMED_REQUEST, "request body is empty: expected a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new OrchestratorException(ErrorCode.MALFORMED_REQUEST, "expected a JSON object, got null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new OrchestratorException(ErrorCode.MALFORMED_REQUEST, "unknown field '" + e.getPropertyName()
                    + "'; known fields: " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            throw new OrchestratorException(ErrorCode.MALFORMED_REQUEST, mismatch(e));
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new OrchestratorException(ErrorCode.MALFORMED_REQUEST, "request body is not the JSON expected: "
                    + detail);
        }
    }

    /** Names the field by its JSON path, e.g. {@code ports[0].host_port}, and the type wanted. */
    private static String mismatch(MismatchedInputException e) {
        var path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        Class<?> target = e.getTargetType();
        String wanted = target == null ? "another type" : switch (target.getSimpleName()) {
            case "Integer", "int", "Long", "long" -> "an integer";
            case "Double", "double" -> "a number";
            case "String" -> "a string";
            case "List" -> "an array";
            case "Map" -> "an object";
            default -> target.isRecord() ? "an object" : "a " + target.getSimpleName().toLowerCase(java.util.Locale.ROOT);
        };
        return "request body is not the JSON expected: " + (path.isEmpty() ? "expected " + wanted
                : "field '" + path + "' must be " + wanted);
    }

    /**
     * @param value a record or collection
     * @return its JSON
     */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * @param request a request record, its absent fields null
     * @return its JSON without the absent fields, as a client sends it
     */
    public static byte[] writeRequest(Object request) {
        try {
            return OMIT_ABSENT.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * Reads a server's answer into a view record, ignoring fields the record does not know.
     *
     * @param body the answer's body
     * @param type the view record (or array of them)
     * @param <T>  its type
     * @return the view
     * @throws IOException if the body is not such JSON
     */
    public static <T> T readAnswer(byte[] body, Class<T> type) throws IOException {
        T value = ANSWERS.readValue(body, type);
        if (value == null) {
            throw new JsonMappingException(null, "expected " + type.getSimpleName() + ", got null");
        }
        return value;
    }

    /**
     * Reads a server's answer that is a JSON array into a list of view records, as
     * {@link #readAnswer} reads one.
     *
     * @param body the answer's body
     * @param type the view record of each element
     * @param <T>  its type
     * @return the views, in the answer's order
     * @throws IOException if the body is not such an array, or an element is null
     */
    public static <T> List<T> readAnswers(byte[] body, Class<T> type) throws IOException {
        List<T> values = ANSWERS.forType(MAPPER.getTypeFactory().constructCollectionType(List.class, type))
                .readValue(body);
        if (values == null || values.contains(null)) {
            // [null] holds no view to show: refused as a null answer is.
            throw new JsonMappingException(null, "expected an array of " + type.getSimpleName() + ", got null");
        }
        return values;
    }
}
