package org.classtop.core.routes;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;
import org.classtop.api.server.Caller;
import org.classtop.api.server.FileResponse;
import org.classtop.api.server.RangedSource;
import org.classtop.api.server.RequestAuthenticator;
import org.classtop.api.server.Role;
import org.classtop.api.server.RouteHandler;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.http.RawBody;
import org.classtop.core.hub.PluginAnnouncer;
import org.classtop.core.plugins.PluginHost;

/** SPEC section 7: install, upgrade, disable, enable and remove plugins while the server runs; agents fetch jars. */
final class PluginRoutes {
    static final String JAR_TYPE = "application/java-archive";

    private PluginRoutes() {
    }

    static final class Upload implements RouteHandler {
        private final PluginHost host;
        private final ServerConfig config;

        @Inject
        Upload(PluginHost host, ServerConfig config) {
            this.host = host;
            this.config = config;
        }

        @Override
        public Object handle(ApiRequest request) throws IOException {
            String type = request.header("Content-Type").map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
            if (!type.equals(JAR_TYPE) && !type.equals("application/octet-stream")) {
                throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the plugin jar as the body with Content-Type "
                        + JAR_TYPE + " (or application/octet-stream)" + (type.isEmpty() ? "." : ", not " + type + "."));
            }
            Path folder = Files.createDirectories(config.dataDir().resolve("plugin-jars"));
            Path upload = folder.resolve(".upload-" + UUID.randomUUID() + ".part");
            RawBody.toFile(request, upload, config.pluginMaxBytes(), "--plugin-max-bytes");
            PluginHost.Installed installed = host.install(upload);
            return ApiResponse.json(installed.created() ? 201 : 200, installed.entry());
        }
    }

    static final class Disable implements RouteHandler {
        private final PluginHost host;

        @Inject
        Disable(PluginHost host) {
            this.host = host;
        }

        @Override
        public Object handle(ApiRequest request) {
            return host.disable(request.pathParam("id"));
        }
    }

    static final class Enable implements RouteHandler {
        private final PluginHost host;

        @Inject
        Enable(PluginHost host) {
            this.host = host;
        }

        @Override
        public Object handle(ApiRequest request) {
            return host.enable(request.pathParam("id"));
        }
    }

    static final class Remove implements RouteHandler {
        private final PluginHost host;

        @Inject
        Remove(PluginHost host) {
            this.host = host;
        }

        @Override
        public Object handle(ApiRequest request) {
            return host.remove(request.pathParam("id"), request.queryFlag("purge"));
        }
    }

    static final class AgentJar implements RouteHandler {
        private final PluginHost host;

        @Inject
        AgentJar(PluginHost host) {
            this.host = host;
        }

        @Override
        public Object handle(ApiRequest request) {
            String id = request.pathParam("id");
            PluginHost.AgentJar jar = host.agentJar(id).orElseThrow(() -> noAgentSide(id));
            JarSource source;
            try {
                source = new JarSource(jar.path(), jar.sha256());
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                    throw noAgentSide(id);   // removed or replaced since: the agent is told the new set
                }
                throw e;
            }
            return FileResponse.of(source, JAR_TYPE).downloadAs(jar.path().getFileName().toString());
        }

        private static ApiException noAgentSide(String id) {
            return ApiException.notFound("NO_AGENT_SIDE", "Plugin '" + id + "' has no agent side to download, or is not started.");
        }
    }

    /** An agent's download token ({@code Authorization: Bearer ctd_...}), valid while its session is open and approved. */
    static final class DownloadTokens implements RequestAuthenticator {
        private final PluginAnnouncer announcer;

        @Inject
        DownloadTokens(PluginAnnouncer announcer) {
            this.announcer = announcer;
        }

        @Override
        public Optional<Caller> authenticate(ApiRequest request) {
            Optional<String> token = request.header("Authorization").filter(h -> h.regionMatches(true, 0, "Bearer ctd_", 0, 11))
                    .map(h -> h.substring(7).strip());
            if (token.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(announcer.clientOfToken(token.get()).map(uuid -> new Caller("agent:" + uuid, Role.ADMIN))
                    .orElseThrow(() -> new ApiException(401, "INVALID_TOKEN", "The download token is not valid: it"
                            + " works only while its agent's session is open and approved.")));
        }
    }

    /** The jar, read piece by piece; its ETag is its SHA-256. */
    private static final class JarSource implements RangedSource {
        private final FileChannel channel;
        private final long length;
        private final String sha256;

        JarSource(Path path, String sha256) {
            try {
                this.channel = FileChannel.open(path, StandardOpenOption.READ);
                this.length = channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.sha256 = sha256;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public String etag() {
            return sha256;
        }

        @Override
        public CompletionStage<ByteBuffer> read(long offset, int maxBytes) {
            try {
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, length - offset));
                while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                    // read on
                }
                return CompletableFuture.completedFuture(buffer.flip());
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
