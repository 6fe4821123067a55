package org.classtop.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonMappersTest {
    private final ObjectMapper mapper = JsonMappers.create();

    record Reading(String clientUuid, Instant takenAt, Object extra) {
    }

    record Count(int value) {
    }

    static final class Empty {
    }

    @Test
    void writesSnakeCaseIsoTimesNullsAndEmptyObjects() throws Exception {
        String json = mapper.writeValueAsString(new Reading("pc-1", Instant.parse("2026-01-02T03:04:05Z"), null));
        assertEquals("{\"client_uuid\":\"pc-1\",\"taken_at\":\"2026-01-02T03:04:05Z\",\"extra\":null}", json);
        assertEquals("{}", mapper.writeValueAsString(new Empty()));
    }

    @Test
    void readsStrictly() throws Exception {
        assertEquals(3, mapper.readValue("{\"value\":3,\"unknown\":1}", Count.class).value(), "unknown properties ignored");
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"a\":1,\"a\":2}", Map.class), "key twice");
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"a\":1} {}", Map.class), "trailing value");
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"value\":1.5}", Count.class), "fraction");
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"value\":\"\"}", Count.class), "empty string");
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"value\":null}", Count.class), "null");
    }
}
