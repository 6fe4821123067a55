package org.classtop.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.classtop.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramePeekTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"heartbeat\",\"timestamp\":1733324400.123456}",
            "{\"type\":\"heartbeat\",\"timestamp\":1733324400}",
            "{\"type\":\"heartbeat\",\"timestamp\":1.7333244E9}",
            "{\"type\":\"heartbeat\",\"timestamp\":-0.5}",
            "{\"type\":\"heartbeat\",\"timestamp\":12345678901234567890123}",
            "{\"type\":\"heartbeat\",\"timestamp\":1e3}",
            "{\"type\":\"heartbeat\",\"extra\":{\"a\":[1,2,{\"b\":null}]},\"timestamp\":17.25}",
            " { \"type\" : \"heartbeat\" , \"timestamp\" : 5 } "})
    void theAckOfAHeartbeatEchoesItsTimestampAsTheTreeReadingWould(String frame) throws Exception {
        String ack = FramePeek.heartbeatAckOf(frame);
        JsonNode read = Json.mapper().readTree(ack);
        assertEquals("heartbeat_ack", read.get("type").asText());
        assertEquals(Json.mapper().readTree(frame).get("timestamp").toString(), read.get("timestamp").toString());
        assertTrue(read.get("server_time").isNumber());
        // The exact text: fields in the SPEC's order, the echoed number as Jackson writes it.
        assertTrue(ack.startsWith("{\"type\":\"heartbeat_ack\",\"timestamp\":" + read.get("timestamp") + ",\"server_time\":"), ack);
        assertEquals(FramePeek.heartbeatAck(Json.mapper().readTree(frame).get("timestamp")).replaceAll("server_time\":.*", ""),
                ack.replaceAll("server_time\":.*", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"heartbeat\"}",
            "{\"type\":\"heartbeat\",\"timestamp\":\"soon\"}",
            "{\"type\":\"heartbeat\",\"timestamp\":null}",
            "{\"type\":\"heartbeat\",\"timestamp\":[1]}"})
    void aHeartbeatWithoutANumericTimestampGetsTheTimeNow(String frame) throws Exception {
        JsonNode ack = Json.mapper().readTree(FramePeek.heartbeatAckOf(frame));
        assertTrue(ack.get("timestamp").isNumber());
        assertTrue(Math.abs(ack.get("timestamp").asDouble() - ack.get("server_time").asDouble()) < 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"heartbeat\",\"timestamp\":1,\"timestamp\":2}",
            "{\"type\":\"heartbeat\",\"type\":\"heartbeat\"}",
            "{\"type\":\"heartbeat\",\"timestamp\":1} {}",
            "{\"type\":\"heartbeat\",\"timestamp\":1",
            "{\"type\":\"heartbeat\",\"timestamp\":01}",
            "{\"timestamp\":1,\"type\":\"heartbeat\"}",
            "{\"type\":\"heartbeats\",\"timestamp\":1}",
            "[\"heartbeat\"]",
            "null",
            ""})
    void anythingButAWellFormedHeartbeatIsLeftToTheFullReading(String frame) {
        assertNull(FramePeek.heartbeatAckOf(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"response\",\"request_id\":\"r\"}", "{\"type\":\"response\""})
    void theTypeIsPeekedWhenItComesFirst(String frame) {
        assertEquals("response", FramePeek.firstType(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"request_id\":\"r\",\"type\":\"response\"}", "{\"type\":5}", "[]", "nonsense", ""})
    void otherwiseThereIsNoPeekedType(String frame) {
        assertNull(FramePeek.firstType(frame));
    }
}
