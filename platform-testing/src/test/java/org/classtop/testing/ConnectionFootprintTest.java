package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an open agent connection keeps on the server's heap: not its handshake request, nor its headers. */
class ConnectionFootprintTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int AGENTS = 40;
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension();

    /** Live instances of {@code className} in this JVM (after the full collection a class histogram makes). */
    private static long liveInstances(String className) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)",
                Pattern.MULTILINE).matcher(histogram);
        return row.find() ? Long.parseLong(row.group(1)) : 0;
    }

    @Test
    void openAgentConnectionsDoNotKeepTheirHandshakeRequests() throws Exception {
        TestServer server = SERVER.get();
        List<FakeAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < AGENTS; i++) {
                agents.add(server.agent("footprint-" + i, "PC " + i, a -> a.on("echo", params -> Map.of("echo", params))));
            }
            long sockets = liveInstances("org.classtop.core.hub.AgentSocket");
            long exchanges = liveInstances("io.undertow.server.HttpServerExchange");
            assertTrue(sockets >= AGENTS, "the agents' sockets are open: " + sockets);
            // Undertow's own callback path kept each socket's handshake exchange (with its headers) until it closed.
            assertTrue(exchanges < AGENTS / 4, AGENTS + " open sockets, handshake exchanges still on the heap: " + exchanges);
            // Nor Undertow's per-connection cache of header values, which kept the handshake's headers.
            long headerCaches = liveInstances("io.undertow.server.protocol.http.CacheMap");
            assertTrue(headerCaches < AGENTS / 4, AGENTS + " open sockets, header caches: " + headerCaches);

            // The sockets work as before: a command's round trip, and a closed socket is noticed.
            ApiResult answer = server.api().post("/api/clients/footprint-7/command",
                    Map.of("command", "echo", "params", Map.of("n", 7)));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(7, answer.data().path("echo").path("n").asInt());
            agents.get(3).close();
            Poll.until("the closed agent is offline", WAIT,
                    () -> !server.api().get("/api/clients/footprint-3").data().path("online").asBoolean(true));
        } finally {
            agents.forEach(FakeAgent::close);
        }
    }
}
