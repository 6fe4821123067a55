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

    /** Without a parser, the same ack as the parser's reading, for every kind of number agents write or might. */
    @org.junit.jupiter.api.Test
    void theUnparsedAckOfAPlainHeartbeatIsTheParsersAck() {
        java.util.Random random = new java.util.Random(13);
        java.util.List<String> numbers = new java.util.ArrayList<>(java.util.List.of("0", "-0", "7", "-7", "0.0", "-0.0",
                "1e3", "1E+3", "2e-3", "1.5E10", "123456789012345678", "-123456789012345678", "1234567890123456789",
                "99999999999999999999", "1e400", "-1e400", "0.000001", "1.0000000000000000001"));
        for (int i = 0; i < 2_000; i++) {
            numbers.add(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20)));
            numbers.add(Double.toString(System.currentTimeMillis() / 1000.0 + random.nextInt(1_000_000) / 1000.0));
            numbers.add(Long.toString(random.nextLong() >> random.nextInt(63)));
        }
        for (String number : numbers) {
            String plain = "{\"type\":\"heartbeat\",\"timestamp\":" + number + "}";
            String parsed = FramePeek.heartbeatAckOf("{ \"type\":\"heartbeat\",\"timestamp\":" + number + "}"); // a space: the parser's path
            String unparsed = FramePeek.plainHeartbeatAck(plain);
            if (parsed == null) {
                assertNull(unparsed, number);
            } else if (unparsed != null) {
                assertEquals(parsed.replaceAll("server_time\":.*", ""), unparsed.replaceAll("server_time\":.*", ""), number);
            } else {
                assertTrue(number.replace("-", "").length() > 18, "only long integers are left to the parser: " + number);
            }
            String either = FramePeek.heartbeatAckOf(plain);
            assertEquals(parsed == null ? null : parsed.replaceAll("server_time\":.*", ""),
                    either == null ? null : either.replaceAll("server_time\":.*", ""), number);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"heartbeat\",\"timestamp\":01}", "{\"type\":\"heartbeat\",\"timestamp\":1.}",
            "{\"type\":\"heartbeat\",\"timestamp\":.5}", "{\"type\":\"heartbeat\",\"timestamp\":+1}",
            "{\"type\":\"heartbeat\",\"timestamp\":1e}", "{\"type\":\"heartbeat\",\"timestamp\":-}",
            "{\"type\":\"heartbeat\",\"timestamp\":1 }", "{\"type\":\"heartbeat\",\"timestamp\":}",
            "{\"type\":\"heartbeat\",\"timestamp\":NaN}", "{\"type\":\"heartbeat\",\"timestamp\":1}}"})
    void theUnparsedPathTakesOnlyExactJsonNumbers(String frame) {
        assertNull(FramePeek.plainHeartbeatAck(frame));
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
