package org.classtop.core.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.http.JsonBody;
import org.classtop.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after start, runs the JSON work of the command route a few thousand times on one low-priority
 * daemon thread: the request body bound, the command frame written, an agent's answer read, the answer's
 * envelope and log row written. The first real commands then find the classes loaded, the serializers
 * built and the code compiled, instead of paying for it in their round trip. Touches no agent, no
 * database and no socket, and the server is listening while it runs.
 */
public final class CommandRouteWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRouteWarmup.class);
    static final int ROUNDS = 5_000;

    private CommandRouteWarmup() {
    }

    public static void startInBackground() {
        Thread thread = new Thread(CommandRouteWarmup::run, "classtop-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void run() {
        long start = System.nanoTime();
        try {
            for (int i = 0; i < ROUNDS; i++) {
                round(i);
            }
            LOG.debug("Command route warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("Command route warm-up stopped: {}", e.toString());
        }
    }

    private static void round(int i) throws java.io.IOException {
        byte[] request = ("{\"command\":\"echo\",\"params\":{\"n\":" + i + ",\"text\":\"warm\"},\"timeout\":10}")
                .getBytes(StandardCharsets.UTF_8);
        ClientRoutes.CommandBody body = JsonBody.read(request, ClientRoutes.CommandBody.class);
        String frame = CommandBus.commandFrame("req_warmup" + i, body.command(), body.params(), 1.0e9 + i);
        JsonNode answer = Json.mapper().readTree("{\"type\":\"response\",\"request_id\":\"req_warmup" + i
                + "\",\"success\":true,\"data\":{\"echo\":" + frame.length() + "}}");
        Object data = Json.mapper().convertValue(answer.get("data"), Object.class);
        Map<String, Object> envelope = new LinkedHashMap<>(4);
        envelope.put("success", true);
        envelope.put("data", data);
        Json.writeBytes(envelope);
        Json.write(body.params());
    }
}
