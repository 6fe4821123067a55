package org.classtop.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in for the management server's client routes on loopback (real HTTP): records every request and
 * answers with a scripted status and body per path.
 */
final class StubCentre implements AutoCloseable {
    record Request(String path, String authorization, Map<String, Object> body) {
    }

    record Reply(int status, String body) {
        static Reply ok(String dataJson) {
            return new Reply(200, "{\"success\":true,\"data\":" + dataJson + "}");
        }

        static Reply fail(int status, String code, String sentence) {
            return new Reply(status, "{\"success\":false,\"error\":\"" + sentence + "\",\"code\":\"" + code + "\"}");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Request> requests = new ArrayBlockingQueue<>(1000);
    private final List<Request> all = new ArrayList<>();
    private volatile Function<Request, Reply> register = r -> Reply.ok("{\"client_key\":\"ck-1\"}");
    private volatile Function<Request, Reply> sync = r -> Reply.ok("{\"stored\":true}");

    StubCentre() {
        this(null);
    }

    /** Over HTTPS with the key in {@code keyStore} (PKCS12, password "changeit") when not null. */
    StubCentre(java.security.KeyStore keyStore) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (keyStore == null) {
                server = HttpServer.create(address, 0);
            } else {
                javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, "changeit".toCharArray());
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(context));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/api/", exchange -> {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), Json.readObject(text));
            synchronized (all) {
                all.add(request);
            }
            requests.add(request);
            Reply reply = switch (request.path()) {
                case "/api/clients/register" -> register.apply(request);
                case "/api/sync" -> sync.apply(request);
                default -> Reply.fail(404, "NOT_FOUND", "No such route.");
            };
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    void onRegister(Function<Request, Reply> answer) {
        register = answer;
    }

    void onSync(Function<Request, Reply> answer) {
        sync = answer;
    }

    /** The next request to {@code path} (earlier requests to other paths are skipped). */
    Request next(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Request request = requests.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (request == null) {
                throw new AssertionError("no request to " + path + " within 10 s");
            }
            if (request.path().equals(path)) {
                return request;
            }
        }
    }

    List<Request> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
