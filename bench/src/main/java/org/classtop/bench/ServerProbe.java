package org.classtop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the bench reads from the server besides the load: {@code /api/system/status} and /proc memory figures. */
final class ServerProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One read of {@code GET /api/system/status}; {@code -1} where a figure is missing. */
    static final class Status {
        final long commandsLogged;
        final long clientsOnline;
        final long atNanos;

        Status(long commandsLogged, long clientsOnline, long atNanos) {
            this.commandsLogged = commandsLogged;
            this.clientsOnline = clientsOnline;
            this.atNanos = atNanos;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI statusUri;
    private final String authorization;
    private final long serverPid;
    private volatile String lastError = "";

    ServerProbe(URI server, String token, long serverPid) {
        this.statusUri = server.resolve("/api/system/status");
        this.authorization = "Bearer " + token;
        this.serverPid = serverPid;
    }

    /** The status, or null (see {@link #lastError()}) when the server does not give it. */
    Status status() {
        try {
            HttpRequest req = HttpRequest.newBuilder(statusUri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).header("Accept", "application/json").GET().build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            long at = System.nanoTime();
            if (resp.statusCode() != 200) {
                lastError = "GET /api/system/status answered HTTP " + resp.statusCode();
                return null;
            }
            JsonNode data = JSON.readTree(resp.body()).path("data");
            return new Status(data.path("commands_logged").asLong(-1), data.path("clients_online").asLong(-1), at);
        } catch (IOException e) {
            lastError = "GET /api/system/status failed: " + e;
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    String lastError() {
        return lastError;
    }

    boolean hasPid() {
        return serverPid > 0;
    }

    /** VmRSS of the server process in KiB, or -1. */
    long rssKib() {
        return procStatus("VmRSS:");
    }

    /** VmHWM (peak RSS) of the server process in KiB, or -1. */
    long peakRssKib() {
        return procStatus("VmHWM:");
    }

    /** utime + stime of the server process in clock ticks (1/100 s on Linux), or -1. */
    long cpuTicks() {
        if (serverPid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(serverPid), "stat"));
            // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private long procStatus(String key) {
        if (serverPid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serverPid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
