package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.Failures;
import org.classtop.api.PluginContext;

/**
 * HTTP to the media servers: one JDK {@link HttpClient} (asynchronous, no thread per server or request),
 * created on first use and closed with the plugin. Every request has a hard deadline that covers the
 * connection, the headers and the body; answers are read up to {@value #MAX_BODY_BYTES} bytes.
 * Redirects are not followed, and a request is never retried (a stop must not be sent twice).
 */
@Singleton
public final class Upstream {
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** An answer with any HTTP status. {@code truncated}: the body was longer than the limit. */
    record Answer(int status, byte[] body, boolean truncated) {
    }

    /** Why no answer came. */
    enum Failure { TIMEOUT, UNREACHABLE }

    /** A request that got no answer; the message is a short lower-case reason ("connection refused"). */
    static final class UpstreamException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;

        UpstreamException(Failure failure, String reason) {
            super(reason, null, false, false);
            this.failure = failure;
        }

        Failure failure() {
            return failure;
        }
    }

    private final String userAgent;
    private HttpClient client;
    private ThreadPoolExecutor executor;
    private boolean closed;

    @Inject
    public Upstream(PluginContext plugin) {
        this.userAgent = "ClassTop-cluster-monitor/" + plugin.version();
    }

    Upstream(String userAgent) {
        this.userAgent = userAgent;
    }

    private synchronized HttpClient client() {
        if (closed) {
            throw new RejectedExecutionException("the cluster monitor is stopping");
        }
        if (client == null) {
            AtomicInteger threads = new AtomicInteger();
            // Two threads run the client's completions and ours (parsing a status, recording a result), none
            // of which blocks; waiting for the network needs no thread at all.
            executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "cluster-monitor-http-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor.allowCoreThreadTimeOut(true);
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(30))
                    .executor(executor)
                    .build();
        }
        return client;
    }

    /** Stops using the network: later requests fail at once. */
    synchronized void close() {
        closed = true;
        if (executor != null) {
            executor.shutdown();
        }
        client = null;
    }

    /** The executor of the client's completions (for follow-up work off the network threads). */
    synchronized ExecutorService executor() {
        client();
        return executor;
    }

    CompletableFuture<Answer> get(URI uri, Duration timeout) {
        return send("GET", uri, timeout);
    }

    CompletableFuture<Answer> post(URI uri, Duration timeout) {
        return send("POST", uri, timeout);
    }

    /**
     * Sends one request. The future completes with the answer (any status), or exceptionally with an
     * {@link UpstreamException} once {@code timeout} has passed or the server cannot be reached.
     */
    CompletableFuture<Answer> send(String method, URI uri, Duration timeout) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        LimitedBody body = new LimitedBody(MAX_BODY_BYTES);
        HttpClient http;
        ExecutorService completions;
        try {
            http = client();
            completions = executor;
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new UpstreamException(Failure.UNREACHABLE, e.getMessage()));
            return result;
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .build();
        CompletableFuture<HttpResponse<Answer>> exchange;
        try {
            exchange = http.sendAsync(request, info -> body.forStatus(info.statusCode()));
        } catch (RuntimeException e) {
            result.completeExceptionally(new UpstreamException(Failure.UNREACHABLE, reason(e)));
            return result;
        }
        // Completions run on our executor, never on the client's selector thread.
        exchange.whenCompleteAsync((response, error) -> {
            if (error == null) {
                result.complete(response.body());
            } else {
                result.completeExceptionally(classify(error, timeout));
            }
        }, completions);
        // The request timeout covers only the wait for the headers: this deadline covers the body too.
        try {
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, completions).execute(() -> {
                if (result.completeExceptionally(new UpstreamException(Failure.TIMEOUT, "no answer within "
                        + ClusterMonitorSettings.seconds(timeout) + " s"))) {
                    body.abort();
                    exchange.cancel(true);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new UpstreamException(Failure.UNREACHABLE, "the cluster monitor is stopping"));
        }
        return result;
    }

    private static UpstreamException classify(Throwable error, Duration timeout) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof HttpTimeoutException) {
            return new UpstreamException(Failure.TIMEOUT, "no answer within " + ClusterMonitorSettings.seconds(timeout) + " s");
        }
        return new UpstreamException(Failure.UNREACHABLE, reason(cause));
    }

    private static String reason(Throwable cause) {
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException
                || (cause != null && cause.getCause() instanceof UnresolvedAddressException)) {
            return "host name not found";
        }
        if (cause instanceof IOException && cause.getMessage() != null) {
            String message = cause.getMessage();
            if (message.contains("header parser received no bytes") || message.contains("EOF reached")) {
                return "the connection was closed without an answer";
            }
            return message.length() > 160 ? message.substring(0, 160) + "…" : message;
        }
        if (cause != null && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return cause == null ? "unknown error" : cause.getClass().getSimpleName();
    }

    /**
     * Collects a body up to a limit. Past the limit it completes with what it has (marked truncated) and
     * cancels the rest, which closes the connection.
     */
    private static final class LimitedBody {
        private final int limit;
        private volatile Flow.Subscription subscription;
        private volatile boolean aborted;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        HttpResponse.BodySubscriber<Answer> forStatus(int status) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CompletableFuture<Answer> done = new CompletableFuture<>();
            return new HttpResponse.BodySubscriber<>() {
                @Override
                public java.util.concurrent.CompletionStage<Answer> getBody() {
                    return done;
                }

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    if (aborted) {
                        s.cancel();
                        done.completeExceptionally(new IOException("cancelled"));
                    } else {
                        s.request(Long.MAX_VALUE);
                    }
                }

                @Override
                public void onNext(List<ByteBuffer> items) {
                    if (done.isDone()) {
                        return;
                    }
                    for (ByteBuffer item : items) {
                        int room = limit - bytes.size();
                        if (item.remaining() > room) {
                            byte[] part = new byte[room];
                            item.get(part);
                            bytes.write(part, 0, part.length);
                            done.complete(new Answer(status, bytes.toByteArray(), true));
                            subscription.cancel();
                            return;
                        }
                        byte[] all = new byte[item.remaining()];
                        item.get(all);
                        bytes.write(all, 0, all.length);
                    }
                }

                @Override
                public void onError(Throwable throwable) {
                    done.completeExceptionally(throwable);
                }

                @Override
                public void onComplete() {
                    done.complete(new Answer(status, bytes.toByteArray(), false));
                }
            };
        }

        void abort() {
            aborted = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
