package org.classtop.core.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;

/** A core route's request body of any size, streamed to a file (the JSON body of plugin routes stays at 1 MiB). */
public final class RawBody {
    private RawBody() {
    }

    /**
     * Streams the body to {@code target} (created or truncated), at most {@code maxBytes}; the file is deleted
     * when the body is larger or cannot be read to its end.
     *
     * @throws ApiException 413 naming the limit, 400 when the body cannot be read
     */
    public static long toFile(ApiRequest request, Path target, long maxBytes, String limitName) {
        HttpServerExchange exchange = ((ExchangeApiRequest) request).exchange();
        if (exchange.getRequestContentLength() > maxBytes) {
            throw tooLarge(maxBytes, limitName);
        }
        exchange.setMaxEntitySize(maxBytes + 1);
        if (!exchange.isBlocking()) {
            exchange.startBlocking();
        }
        long total = 0;
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(target)) {
            InputStream in = exchange.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes, limitName);
                }
                out.write(buffer, 0, n);
            }
            done = true;
            return total;
        } catch (RequestTooBigException e) {
            throw tooLarge(maxBytes, limitName);
        } catch (IOException e) {
            throw new ApiException(400, "INVALID_REQUEST", "The request body could not be read to its end.");
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // a temporary file; the next start clears the folder
                }
            }
        }
    }

    private static ApiException tooLarge(long maxBytes, String limitName) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "The upload is larger than the limit of " + maxBytes
                + " bytes (" + limitName + ").");
    }
}
