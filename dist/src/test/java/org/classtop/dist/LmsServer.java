package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.classtop.core.tls.PemFiles;
import org.classtop.core.tls.SelfSignedCertificate;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.TestCertificates;

/** {@code bin/classtop-lms} on 127.0.0.1, started from the distribution, with an admin bearer token for REST. */
public final class LmsServer implements AutoCloseable {
    /** The one stdout line that says the server is ready (SPEC section 2). */
    static final Pattern READY = Pattern.compile("classtop-lms listening on (https?)://([^\\s:]+):(\\d+)");
    /** With TLS, printed before the ready line (SPEC section 8). */
    static final Pattern FINGERPRINT = Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9a-f]{64})");
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final LaunchedProcess process;
    private final String scheme;
    private final int port;
    private final ApiClient api;

    private LmsServer(LaunchedProcess process, String scheme, int port, String adminToken, SSLContext tls) {
        this.process = process;
        this.scheme = scheme;
        this.port = port;
        this.api = new ApiClient(scheme + "://127.0.0.1:" + port, Map.of("Authorization", "Bearer " + adminToken), tls);
    }

    /**
     * Starts the server with {@code --port port --bind 127.0.0.1 --data dataDir} and {@code moreArgs}
     * (port 0: any free one) and waits for its ready line.
     */
    public static LmsServer start(Path workDir, String adminToken, Path dataDir, int port, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--data", dataDir.toString()));
        args.addAll(List.of(moreArgs));
        LaunchedProcess process = LaunchedProcess.start("classtop-lms", args,
                Map.of("CLASSTOP_ADMIN_TOKEN", adminToken), workDir);
        try {
            Matcher ready = process.awaitStdoutLine(READY, START_TIMEOUT);
            assertEquals("127.0.0.1", ready.group(2), "the address the server listens on" + process.describe());
            int actual = Integer.parseInt(ready.group(3));
            if (port != 0) {
                assertEquals(port, actual, "the port asked for" + process.describe());
            }
            assertEquals(1, process.stdoutLines(READY).size(), "exactly one ready line" + process.describe());
            LmsServer server = new LmsServer(process, ready.group(1), actual, adminToken, clientTls(dataDir, args));
            ApiResult health = server.api.anonymous().get("/healthz");
            assertEquals(200, health.status(), "GET /healthz once ready: " + health);
            assertEquals("ok", health.json().path("status").asText(), "GET /healthz once ready: " + health);
            return server;
        } catch (RuntimeException | Error e) {
            process.stop(Duration.ofSeconds(10));
            throw e;
        }
    }

    /** With TLS, a client context trusting the server's certificate (self-signed in the data folder, or --tls-cert). */
    private static SSLContext clientTls(Path dataDir, List<String> args) {
        int self = args.indexOf("--tls");
        int given = args.indexOf("--tls-cert");
        Path cert = given >= 0 ? Path.of(args.get(given + 1))
                : self >= 0 ? SelfSignedCertificate.certFile(dataDir.toAbsolutePath()) : null;
        return cert == null ? null : TestCertificates.trusting(PemFiles.readCertificates(cert).get(0));
    }

    /** The fingerprint the server printed at start (TLS only). */
    public String fingerprint() {
        return process.awaitStdoutLine(FINGERPRINT, Duration.ZERO).group(1);
    }

    public static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public int port() {
        return port;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    String wsUrl(String uuid) {
        return "ws://127.0.0.1:" + port + "/ws/" + uuid;
    }

    public ApiClient api() {
        return api;
    }

    public LaunchedProcess process() {
        return process;
    }

    /** Whether GET /api/clients/online lists {@code uuid} (false while the server does not answer). */
    public boolean isOnline(String uuid) {
        try {
            ApiResult online = api.get("/api/clients/online");
            if (online.status() != 200) {
                return false;
            }
            for (JsonNode client : online.data()) {
                if (uuid.equals(client.path("uuid").asText())) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException notAnswering) {
            return false;
        }
    }

    /** Every row of GET /api/commands for one client, newest first, following the {@code before} paging. */
    List<JsonNode> commandLog(String uuid) {
        List<JsonNode> rows = new ArrayList<>();
        String before = null;
        while (true) {
            String path = "/api/commands?client=" + URLEncoder.encode(uuid, StandardCharsets.UTF_8) + "&limit=1000"
                    + (before == null ? "" : "&before=" + before);
            ApiResult page = api.get(path);
            assertEquals(200, page.status(), "GET " + path + ": " + page);
            if (page.data().isEmpty()) {
                return rows;
            }
            page.data().forEach(rows::add);
            String last = page.data().get(page.data().size() - 1).path("id").asText();
            if (last.equals(before) || page.data().size() < 1000) {
                return rows;
            }
            before = last;
        }
    }

    /** SIGTERM and wait (SIGKILL after 30 s); answers the exit code. */
    public int stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        stop();
    }
}
