package dev.orchestrator.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The API's JSON mapping: snake_case names; unknown fields, trailing data and scalars of the wrong type
 * (no coercion) refused; errors as 400s.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // ALLOW_COERCION_OF_SCALARS does not cover numbers and booleans read as strings.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
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
        } catch (java.io.IOException e) {
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

    /** @return the shared mapper, for the spec view */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
