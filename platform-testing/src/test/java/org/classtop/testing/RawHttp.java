package org.classtop.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Requests written byte by byte on a plain socket to 127.0.0.1, for what HTTP clients refuse to send
 * (a lone '%', a 1 MiB URL, 500 headers, a chunked body). The request is written on its own thread
 * while this one reads the answer, so a server that answers before reading everything is seen.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** Writes {@code head} (CRLF line ends added) and then whatever {@code body} writes; reads one answer. */
    static ApiResult exchange(int port, String head, Consumer<OutputStream> body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    body.accept(out);
                    out.flush();
                } catch (IOException | UncheckedIOException e) {
                    // the server may stop reading once it has answered; what it answered is what counts
                }
            });
            ApiResult answer = read(socket.getInputStream());
            writer.cancel(true);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiResult exchange(int port, String head) {
        return exchange(port, head, out -> { });
    }

    /** A chunked body of {@code total} bytes in 64 KiB chunks, then the last chunk. */
    static Consumer<OutputStream> chunked(int total) {
        return out -> {
            try {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                for (int sent = 0; sent < total; sent += chunk.length) {
                    int size = Math.min(chunk.length, total - sent);
                    out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk, 0, size);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** {@code total} bytes of body as is. */
    static Consumer<OutputStream> bytes(int total) {
        return out -> {
            try {
                byte[] block = new byte[64 * 1024];
                java.util.Arrays.fill(block, (byte) 'x');
                for (int sent = 0; sent < total; sent += block.length) {
                    out.write(block, 0, Math.min(block.length, total - sent));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Status line, headers and a Content-Length body; an empty answer (connection closed first) is status 0. */
    private static ApiResult read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (java.net.SocketException e) {
            return new ApiResult(0, Map.of(), ("connection reset: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
        if (statusLine == null) {
            return new ApiResult(0, Map.of(), "connection closed without an answer".getBytes(StandardCharsets.UTF_8));
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        List<String> length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.get(0)));
        return new ApiResult(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
