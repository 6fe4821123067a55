package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that HTTP clients refuse to send, written on a plain socket: each gets its status and the
 * JSON envelope with a sentence (never an empty answer or a dropped connection), and the server keeps
 * serving.
 */
class MalformedRequestTest {
    private static final int MIB = 1 << 20;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void theServerKeepsServing() {
        assertEquals(200, server.api().get("/api/clients/").status());
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + server.adminToken() + "\n"
                + String.join("", headers) + "\n";
    }

    private static String post(String target, String... headers) {
        return "POST " + target + " HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + server.adminToken()
                + "\nContent-Type: application/json\n" + String.join("", headers) + "\n";
    }

    private static void assertEnvelope(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), result.toString());
        assertNotNull(result.json(), "a JSON body: " + result);
        assertFalse(result.success());
        assertEquals(code, result.code(), result.toString());
        assertTrue(result.error() != null && result.error().endsWith("."), "one sentence: " + result);
        assertFalse(result.error().contains("UT0") || result.error().contains("Exception"), "no Undertow internals: " + result);
        assertTrue(result.header("Content-Type").startsWith("application/json"), result.headers().toString());
    }

    @Test
    void aLonePercentInThePathIs400() {
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/%")), 400, "INVALID_REQUEST");
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/%zz")), 400, "INVALID_REQUEST");
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/commands?client=%")), 400, "INVALID_REQUEST");
        assertEnvelope(RawHttp.exchange(server.port(), get("/app%.js")), 400, "INVALID_REQUEST");
    }

    @Test
    void charactersThatMustBeEncodedAre400() {
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/<x>")), 400, "INVALID_REQUEST");
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/a\u0001b")), 400, "INVALID_REQUEST");
    }

    @Test
    void pathsAndQueriesAreDecodedExactlyOnce() {
        ApiResult spaced = RawHttp.exchange(server.port(), get("/api/clients/a%20b"));
        assertEnvelope(spaced, 404, "CLIENT_NOT_FOUND");
        assertTrue(spaced.error().contains("'a b'") || spaced.error().contains("a b"), spaced.error());
        ApiResult twice = RawHttp.exchange(server.port(), get("/api/clients/100%2541"));
        assertTrue(twice.error().contains("100%41"), "decoded once, not twice: " + twice.error());
        ApiResult plus = RawHttp.exchange(server.port(), get("/api/clients/c++"));
        assertTrue(plus.error().contains("c++"), "a '+' in a path is a plus: " + plus.error());
        assertEquals(200, RawHttp.exchange(server.port(), get("/api/commands?limit=1%30")).status(), "query values are decoded");
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/commands?limit=1%30x")), 400, "INVALID_REQUEST");
    }

    @Test
    void aOneMebibyteUrlIs414() {
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/" + "a".repeat(MIB))), 414, "URI_TOO_LONG");
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/commands?client=" + "a".repeat(64 * 1024))), 414, "URI_TOO_LONG");
    }

    @Test
    void fiveHundredHeadersAre431() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            headers.append("X-Filler-").append(i).append(": ").append(i).append('\n');
        }
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/", headers.toString())), 431, "REQUEST_HEADERS_TOO_LARGE");
        assertEnvelope(RawHttp.exchange(server.port(), get("/api/clients/", "X-Big: " + "b".repeat(200 * 1024) + "\n")),
                431, "REQUEST_HEADERS_TOO_LARGE");
    }

    @Test
    void aBodyOverOneMebibyteIs413WhetherItsLengthIsDeclaredOrChunked() {
        assertEnvelope(RawHttp.exchange(server.port(), post("/api/enrollment/tokens", "Content-Length: " + 2 * MIB + "\n"),
                RawHttp.bytes(2 * MIB)), 413, "PAYLOAD_TOO_LARGE");
        assertEnvelope(RawHttp.exchange(server.port(), post("/api/enrollment/tokens", "Content-Length: " + (MIB + 1) + "\n")),
                413, "PAYLOAD_TOO_LARGE");
        assertEnvelope(RawHttp.exchange(server.port(), post("/api/enrollment/tokens", "Transfer-Encoding: chunked\n"),
                RawHttp.chunked(2 * MIB)), 413, "PAYLOAD_TOO_LARGE");
        assertEnvelope(RawHttp.exchange(server.port(), post("/api/enrollment/tokens", "Transfer-Encoding: chunked\n"),
                RawHttp.chunked(8 * MIB)), 413, "PAYLOAD_TOO_LARGE");
    }

    /** The command route reads its body on the I/O thread: the same answers as every other route. */
    @Test
    void theCommandRouteAnswersABodyOverTheLimitMalformedOrSlowLikeAnyOther() {
        String command = "/api/clients/nobody/command";
        assertEnvelope(RawHttp.exchange(server.port(), post(command, "Content-Length: " + 2 * MIB + "\n"),
                RawHttp.bytes(2 * MIB)), 413, "PAYLOAD_TOO_LARGE");
        assertEnvelope(RawHttp.exchange(server.port(), post(command, "Transfer-Encoding: chunked\n"),
                RawHttp.chunked(2 * MIB)), 413, "PAYLOAD_TOO_LARGE");
        ApiResult malformed = RawHttp.exchange(server.port(), post(command, "Content-Length: 10\n"), ascii("{\"command\""));
        assertEnvelope(malformed, 400, "INVALID_JSON");
        assertTrue(malformed.error().startsWith("The request body is not valid JSON"), malformed.toString());
        ApiResult array = RawHttp.exchange(server.port(), post(command, "Content-Length: 2\n"), ascii("[]"));
        assertEnvelope(array, 400, "INVALID_REQUEST");
        assertEquals("The request body must be a JSON object, not an array.", array.error());
        ApiResult trailing = RawHttp.exchange(server.port(), post(command, "Content-Length: 20\n"), ascii("{\"command\":\"a\"} {}  "));
        assertEnvelope(trailing, 400, "INVALID_JSON");
        assertTrue(trailing.error().startsWith("The request body has more after its JSON value"), trailing.toString());
        // A body that arrives after its head, in two parts: read once it is all in, then answered.
        String body = "{\"command\":\"echo\",\"params\":{\"n\":1}}";
        ApiResult slow = RawHttp.exchange(server.port(), post(command, "Content-Length: " + body.length() + "\n"), out -> {
            try {
                out.flush();
                Thread.sleep(200);
                out.write(body.substring(0, 10).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(200);
                out.write(body.substring(10).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEnvelope(slow, 404, "CLIENT_NOT_FOUND");
    }

    private static java.util.function.Consumer<java.io.OutputStream> ascii(String text) {
        return out -> {
            try {
                out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsStillRead() {
        String json = "{\"name\":\"" + "n".repeat(100) + "\",\"pad\":\"";
        String padded = json + " ".repeat(MIB - json.length() - 2) + "\"}";
        assertEquals(MIB, padded.length());
        ApiResult result = RawHttp.exchange(server.port(), post("/api/enrollment/tokens", "Content-Length: " + MIB + "\n"),
                out -> {
                    try {
                        out.write(padded.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        assertEquals(201, result.status(), result.toString());
    }
}
