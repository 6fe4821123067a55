package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.classtop.plugins.clustermonitor.StatusParser.Channel;
import org.classtop.plugins.clustermonitor.StatusParser.Parsed;
import org.junit.jupiter.api.Test;

class StatusParserTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ClusterMonitorSettings SETTINGS = new ClusterMonitorSettings(name -> Optional.empty(),
            java.nio.file.Path.of("data"));

    private static Parsed parse(String json) throws Exception {
        return StatusParser.parse(MAPPER.readTree(json), SETTINGS::isUpState);
    }

    @Test
    void readsTheSeedShape() throws Exception {
        Parsed parsed = parse("{\"cpu\":37.5,\"channels\":[{\"id\":\"ch1\",\"name\":\"Hall\",\"state\":\"running\"},"
                + "{\"id\":2,\"name\":\"Lab\",\"state\":\"STOPPED\"}]}");
        assertEquals(37.5, parsed.cpu());
        assertEquals(List.of(new Channel("ch1", "Hall", "running", true), new Channel("2", "Lab", "STOPPED", false)),
                parsed.channels());
    }

    @Test
    void acceptsTheCpuUnderOtherNamesAndAsText() throws Exception {
        assertEquals(12.0, parse("{\"cpu_usage\":12}").cpu());
        assertEquals(12.5, parse("{\"cpu_percent\":\"12.5\"}").cpu());
        assertEquals(80.0, parse("{\"cpu\":\" 80 %\"}").cpu());
        assertEquals(55.0, parse("{\"cpu\":{\"usage\":55}}").cpu());
        assertNull(parse("{\"cpu\":\"busy\",\"channels\":[]}").cpu(), "unreadable CPU is no figure, not an error");
        assertNull(parse("{\"cpu\":-1}").cpu());
        assertNull(parse("{\"channels\":[]}").cpu());
    }

    @Test
    void acceptsOtherChannelShapes() throws Exception {
        Parsed parsed = parse("{\"channels\":[{\"channel_id\":\"a\",\"status\":\"Online\"},{\"name\":\"b\",\"running\":false},"
                + "{\"id\":\"c\"},{\"state\":\"running\"},\"d\",{\"id\":\"a\",\"state\":\"dup\"}]}");
        assertEquals(List.of(new Channel("a", "a", "Online", true), new Channel("b", "b", "stopped", false),
                new Channel("c", "c", null, null), new Channel("d", "d", null, null)), parsed.channels(),
                "an id from channel_id or the name; a boolean running flag; unknown state is null; no id: ignored; "
                        + "duplicates: first wins");

        Parsed map = parse("{\"channels\":{\"x\":{\"state\":\"active\"},\"y\":\"error\"}}");
        assertEquals(List.of(new Channel("x", "x", "active", true), new Channel("y", "y", "error", false)), map.channels());
    }

    @Test
    void unwrapsAnEnvelope() throws Exception {
        Parsed parsed = parse("{\"success\":true,\"data\":{\"cpu\":5,\"channels\":[{\"id\":\"a\",\"state\":\"up\"}]}}");
        assertEquals(5.0, parsed.cpu());
        assertEquals(1, parsed.channels().size());
    }

    @Test
    void aStatusWithoutChannelsHasNone() throws Exception {
        assertTrue(parse("{\"cpu\":1,\"channels\":\"none\"}").channels().isEmpty());
        assertTrue(parse("{}").channels().isEmpty());
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThrows(StatusParser.UnreadableStatusException.class, () -> parse("[1,2]"));
        assertThrows(StatusParser.UnreadableStatusException.class, () -> parse("\"ok\""));
    }

    @Test
    void upStatesAreConfigurable() throws Exception {
        ClusterMonitorSettings custom = new ClusterMonitorSettings(
                name -> Optional.ofNullable(Map.of("UP_STATES", "Streaming, live").get(name)), java.nio.file.Path.of("data"));
        Parsed parsed = StatusParser.parse(MAPPER.readTree("{\"channels\":[{\"id\":\"a\",\"state\":\"LIVE\"},"
                + "{\"id\":\"b\",\"state\":\"running\"}]}"), custom::isUpState);
        assertEquals(true, parsed.channels().get(0).up());
        assertEquals(false, parsed.channels().get(1).up());
    }
}
