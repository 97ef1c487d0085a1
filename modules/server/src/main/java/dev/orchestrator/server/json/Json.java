package dev.orchestrator.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;

/** The API's JSON mapping: snake_case names, unknown fields refused, errors as 400s. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
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
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new OrchestratorException(ErrorCode.MALFORMED_REQUEST, "request body is not the JSON expected: "
                    + detail);
        }
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
