package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** GET /metrics (SPEC section 8): Prometheus text behind a token (or public by flag), with the figures it promises. */
class MetricsTest {
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertTrue(m.find(), "no series " + series + " in:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void figuresForAgentsCommandsStorageHttpAndTheJvmNeedAToken() {
        try (TestServer server = TestServer.builder().start()) {
            ApiResult anonymous = server.api().anonymous().get("/metrics");
            assertEquals(401, anonymous.status(), anonymous.toString());
            assertEquals("UNAUTHORIZED", anonymous.code(), anonymous.toString());

            String viewerToken = server.api().post("/api/tokens", Map.of("name", "prometheus", "role", "viewer"))
                    .data().path("token").asText();
            List<FakeAgent> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    agents.add(server.agent("metrics-pc-" + i, "PC " + i, a -> a.on("ping", p -> Map.of("pong", true))));
                }
                for (int i = 0; i < 5; i++) {
                    assertEquals(200, server.api().post("/api/clients/metrics-pc-0/command",
                            Map.of("command", "ping", "params", Map.of())).status());
                }
                assertEquals(400, server.api().post("/api/clients/metrics-pc-0/command", Map.of()).status());

                ApiResult scrape = ApiClient.withToken(server.baseUrl(), viewerToken).get("/metrics");
                assertEquals(200, scrape.status(), scrape.toString());
                String text = scrape.text();
                assertTrue(String.valueOf(scrape.header("Content-Type")).startsWith("text/plain"), scrape.toString());
                assertEquals(3, value(text, "classtop_clients{role=\"lms\",status=\"online\"}"));
                assertEquals(0, value(text, "classtop_clients{role=\"lms\",status=\"pending\"}"));
                assertEquals(3, value(text, "classtop_agents_online_by_version{agent_version=\"fake-1\",role=\"lms\"}"));
                assertEquals(3, value(text, "classtop_agent_connections{role=\"lms\"}"));
                assertEquals(5, value(text, "classtop_commands_total{outcome=\"ok\",role=\"lms\"}"));
                assertEquals(5, value(text, "classtop_command_round_trip_seconds_count{role=\"lms\"}"));
                assertTrue(value(text, "classtop_command_round_trip_seconds_bucket{role=\"lms\",le=\"+Inf\"}") >= 5);
                assertTrue(value(text, "classtop_storage_commit_seconds_count{role=\"lms\"}") >= 1, "the command log was written");
                assertTrue(value(text, "classtop_storage_writes_total{role=\"lms\"}") >= 5);
                assertEquals(0, value(text, "classtop_storage_writer_queue{role=\"lms\"}"));
                assertTrue(value(text, "classtop_http_requests_total{role=\"lms\",status=\"200\"}") >= 5);
                assertTrue(value(text, "classtop_http_requests_total{role=\"lms\",status=\"400\"}") >= 1);
                assertTrue(value(text, "classtop_http_requests_total{role=\"lms\",status=\"401\"}") >= 1);
                assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM memory");
                assertTrue(text.contains("jvm_gc_"), "JVM collector");
                assertTrue(text.contains("process_cpu_usage"), "process CPU");

                agents.remove(0).close();
                Poll.until("the closed agent counted offline", Duration.ofSeconds(10), () -> {
                    String again = ApiClient.withToken(server.baseUrl(), viewerToken).get("/metrics").text();
                    return value(again, "classtop_clients{role=\"lms\",status=\"offline\"}") == 1
                            && value(again, "classtop_clients{role=\"lms\",status=\"online\"}") == 2;
                });
                assertEquals(503, server.api().post("/api/clients/metrics-pc-0/command",
                        Map.of("command", "ping", "params", Map.of())).status(), "offline");
                String afterOffline = ApiClient.withToken(server.baseUrl(), viewerToken).get("/metrics").text();
                assertEquals(1, value(afterOffline, "classtop_commands_total{outcome=\"offline\",role=\"lms\"}"),
                        "a command to an offline client is counted although it was never sent");
                assertEquals(5, value(afterOffline, "classtop_command_round_trip_seconds_count{role=\"lms\"}"),
                        "only answers are timed");
            } finally {
                agents.forEach(FakeAgent::close);
            }
        }
    }

    /** Every series the Grafana dashboard in docs/ asks for exists in a real scrape (the dashboard is not stale). */
    @Test
    void theGrafanaDashboardUsesOnlySeriesTheServerServes() throws Exception {
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana", "classtop-server.json"));
        Matcher expr = Pattern.compile("\"expr\": \"([^\"]*(?:\\\\.[^\"]*)*)\"").matcher(dashboard);
        java.util.Set<String> wanted = new java.util.TreeSet<>();
        while (expr.find()) {
            Matcher name = Pattern.compile("\\b((?:classtop|jvm|process|system)_[a-z_]+)\\{").matcher(expr.group(1));
            while (name.find()) {
                wanted.add(name.group(1));
            }
        }
        assertTrue(wanted.size() >= 10, wanted.toString());
        try (TestServer server = TestServer.builder().start();
             FakeAgent agent = server.agent("dash-pc", "PC", a -> a.on("ping", p -> Map.of()))) {
            server.api().post("/api/clients/dash-pc/command", Map.of("command", "ping", "params", Map.of()));
            // A collection, so the GC pause series exists (Micrometer learns of it by an asynchronous notification).
            Poll.until("a GC pause recorded", Duration.ofSeconds(20), () -> {
                System.gc();
                return server.api().get("/metrics").text().contains("\njvm_gc_pause_seconds_sum{");
            });
            String text = server.api().get("/metrics").text();
            for (String series : wanted) {
                assertTrue(text.contains("\n" + series + "{"), "the dashboard uses " + series + ", which /metrics does not serve");
            }
        }
    }

    @Test
    void agentsCannotMakeTheVersionSeriesGrowWithoutBound() {
        try (TestServer server = TestServer.builder().start()) {
            List<FakeAgent> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    FakeAgent agent = new FakeAgent("version-pc-" + i);
                    agent.register(server.wsUrl(agent.uuid()), "PC " + i, Map.of("agent_version", "hostile-" + i));
                    agent.await("registered", Duration.ofSeconds(10));
                    agents.add(agent);
                }
                String text = server.api().get("/metrics").text();
                long series = text.lines().filter(l -> l.startsWith("classtop_agents_online_by_version{")).count();
                assertEquals(33, series, "32 versions and 'other'");
                assertEquals(8, value(text, "classtop_agents_online_by_version{agent_version=\"other\",role=\"lms\"}"));
            } finally {
                agents.forEach(FakeAgent::close);
            }
        }
    }

    @Test
    void metricsPublicServesWithoutATokenAndNothingElseOpens() {
        try (TestServer server = TestServer.builder().metricsPublic(true).start()) {
            ApiResult scrape = server.api().anonymous().get("/metrics");
            assertEquals(200, scrape.status(), scrape.toString());
            assertTrue(scrape.text().contains("classtop_version{"), scrape.text());
            assertEquals(401, server.api().anonymous().get("/api/clients/").status(), "only /metrics is public");
        }
    }
}
