package org.classtop.plugins.clustermonitor;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.classtop.api.server.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitored servers, kept in {@code servers.json} (SPEC section 6): a JSON array of
 * {@code {"id","name","host","port"}} (an object {@code {"servers":[..]}} is read too and written back
 * in that shape).
 *
 * <ul>
 *   <li>The file stays the source of truth: it is read again whenever it changes on disk (checked on each
 *       poll), so editing it by hand keeps working.</li>
 *   <li>A missing file means no servers. A file that is not JSON logs one error and the last good list is
 *       kept; changes through the API are then refused (409) so that they never overwrite it.</li>
 *   <li>An entry that is not valid is skipped with a warning but kept in the file as it is; other fields of an
 *       entry are kept too.</li>
 *   <li>Changes are written atomically (temporary file, fsync, rename).</li>
 * </ul>
 */
@Singleton
public final class ServerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDirectory.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    public enum FileState {
        MISSING, OK, UNREADABLE;

        @JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What {@code GET /api/servers/config} shows about the file. */
    public record FileStatus(String path, FileState state, String error, int servers, List<String> skippedEntries) {
    }

    /** One element of the file's array: a usable server, or a raw entry kept as it is (with the reason). */
    private record Entry(MediaServer server, JsonNode raw, String problem) {
    }

    /** Identifies one version of the file on disk. */
    private record Stamp(boolean exists, long modifiedNanos, long size, Object fileKey) {
    }

    private final Path file;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile List<MediaServer> servers = List.of();
    private volatile FileStatus status;
    private List<Entry> entries = List.of();
    private ObjectNode wrapper;
    private volatile Stamp stamp;
    private volatile boolean loaded;

    @Inject
    public ServerDirectory(ClusterMonitorSettings settings) {
        this(settings.serversFile());
    }

    ServerDirectory(Path file) {
        this.file = file;
        this.status = new FileStatus(file.toString(), FileState.MISSING, null, 0, List.of());
    }

    /** Called (on the changing thread) after the list of servers changed. */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public Path file() {
        return file;
    }

    /** The usable servers, in file order. Reads the file on first use; never blocks on I/O afterwards. */
    public List<MediaServer> servers() {
        if (!loaded) {
            refresh();
        }
        return servers;
    }

    public Optional<MediaServer> find(String id) {
        return servers().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The server, or 404 {@code SERVER_NOT_FOUND}. */
    public MediaServer require(String id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("SERVER_NOT_FOUND", "No media server with the id '" + MediaServer.brief(id)
                + "' is configured.");
    }

    public FileStatus fileStatus() {
        servers();
        return status;
    }

    /**
     * Reads the file again if it changed on disk since it was last read or written.
     *
     * @return true when the list of servers changed
     */
    public boolean refresh() {
        boolean changed;
        synchronized (this) {
            try {
                changed = refreshLocked();
            } finally {
                loaded = true;
            }
        }
        if (changed) {
            notifyListeners();
        }
        return changed;
    }

    private boolean refreshLocked() {
        Stamp now = stamp();
        Stamp previous = stamp;
        if (now.equals(previous)) {
            return false;
        }
        stamp = now;
        List<MediaServer> before = servers;
        if (!now.exists()) {
            if (previous == null || status.state() != FileState.MISSING) {
                LOG.info("[cluster-monitor] No servers file at {}: no media servers are monitored until one is added",
                        file);
            }
            entries = List.of();
            wrapper = null;
            servers = List.of();
            status = new FileStatus(file.toString(), FileState.MISSING, null, 0, List.of());
            return !before.isEmpty();
        }
        try {
            byte[] bytes = read();
            parse(bytes);
            LOG.info("[cluster-monitor] {} media server(s) from {}{}", servers.size(), file,
                    status.skippedEntries().isEmpty() ? "" : " (" + status.skippedEntries().size() + " entries skipped)");
            return !before.equals(servers);
        } catch (IOException | InvalidServerException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            reason = reason == null ? e.toString() : reason.lines().findFirst().orElse(reason);
            LOG.error("[cluster-monitor] The servers file {} cannot be read ({}); the last good list of {} server(s) is "
                    + "kept until the file is fixed", file, reason, servers.size());
            status = new FileStatus(file.toString(), FileState.UNREADABLE, reason, servers.size(), status.skippedEntries());
            return false;
        }
    }

    private byte[] read() throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException("it is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB");
        }
        return Files.readAllBytes(file);
    }

    private void parse(byte[] bytes) throws IOException {
        ArrayNode array;
        ObjectNode newWrapper = null;
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            array = MAPPER.createArrayNode();
        } else {
            JsonNode root = MAPPER.readTree(bytes);
            if (root != null && root.isArray()) {
                array = (ArrayNode) root;
            } else if (root != null && root.isObject() && root.path("servers").isArray()) {
                newWrapper = (ObjectNode) root;
                array = (ArrayNode) root.get("servers");
            } else {
                throw new InvalidServerException("it must be a JSON array of servers, e.g. "
                        + "[{\"id\":\"1\",\"name\":\"Server 1\",\"host\":\"192.168.2.172\",\"port\":8888}]");
            }
        }
        List<Entry> newEntries = new ArrayList<>();
        List<MediaServer> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode node : array) {
            index++;
            try {
                MediaServer server = MediaServer.fromJson(node);
                if (!ids.add(server.id())) {
                    throw new InvalidServerException("the id '" + server.id() + "' is used by an earlier entry.");
                }
                newEntries.add(new Entry(server, node, null));
                usable.add(server);
            } catch (InvalidServerException e) {
                String problem = "entry " + index + ": " + e.getMessage();
                LOG.warn("[cluster-monitor] {}: {} The entry is skipped (and kept in the file).", file, problem);
                newEntries.add(new Entry(null, node, problem));
                skipped.add(problem);
            }
        }
        entries = List.copyOf(newEntries);
        wrapper = newWrapper;
        servers = List.copyOf(usable);
        status = new FileStatus(file.toString(), FileState.OK, null, usable.size(), List.copyOf(skipped));
    }

    /** Adds a server; 400 for a bad entry, 409 when the id is taken or the file cannot be read. */
    public MediaServer add(JsonNode body) {
        MediaServer server = valid(() -> MediaServer.fromJson(body));
        change(current -> {
            for (Entry entry : current) {
                String id = entry.server() != null ? entry.server().id() : entry.raw().path("id").asText(null);
                if (server.id().equals(id)) {
                    throw ApiException.conflict("SERVER_EXISTS", entry.server() != null
                            ? "A media server with the id '" + server.id() + "' already exists."
                            : "The servers file already has an entry with the id '" + server.id()
                            + "' that is not valid; fix or remove it in the file first.");
                }
            }
            List<Entry> next = new ArrayList<>(current);
            next.add(new Entry(server, null, null));
            return next;
        });
        LOG.info("[cluster-monitor] Media server {} at {} added", server.label(), server.address());
        return server;
    }

    /** Changes the given fields of a server; 404 when unknown, 400 for bad fields. */
    public MediaServer update(String id, JsonNode changes) {
        MediaServer[] updated = new MediaServer[2];
        change(current -> {
            List<Entry> next = new ArrayList<>(current);
            for (int i = 0; i < next.size(); i++) {
                MediaServer server = next.get(i).server();
                if (server != null && server.id().equals(id)) {
                    updated[0] = server;
                    updated[1] = valid(() -> server.merge(changes));
                    next.set(i, new Entry(updated[1], null, null));
                    return next;
                }
            }
            throw notFound(id);
        });
        LOG.info("[cluster-monitor] Media server {} changed (now {} at {})", updated[0].label(), updated[1].label(),
                updated[1].address());
        return updated[1];
    }

    /** Removes a server; 404 when unknown. */
    public MediaServer remove(String id) {
        MediaServer[] removed = new MediaServer[1];
        change(current -> {
            List<Entry> next = new ArrayList<>(current);
            for (int i = 0; i < next.size(); i++) {
                MediaServer server = next.get(i).server();
                if (server != null && server.id().equals(id)) {
                    removed[0] = server;
                    next.remove(i);
                    return next;
                }
            }
            throw notFound(id);
        });
        LOG.info("[cluster-monitor] Media server {} removed", removed[0].label());
        return removed[0];
    }

    private void change(UnaryOperator<List<Entry>> edit) {
        boolean changed;
        synchronized (this) {
            refreshLocked();
            if (status.state() == FileState.UNREADABLE) {
                throw ApiException.conflict("SERVERS_FILE_UNREADABLE", "The servers file " + file.getFileName()
                        + " cannot be read (" + status.error() + "); fix or remove it first, so that this change does "
                        + "not overwrite it.");
            }
            List<Entry> next = edit.apply(entries);
            write(next);
            List<MediaServer> before = servers;
            entries = List.copyOf(next);
            servers = next.stream().map(Entry::server).filter(Objects::nonNull).toList();
            status = new FileStatus(file.toString(), FileState.OK, null, servers.size(), status.skippedEntries());
            stamp = stamp();
            changed = !before.equals(servers);
        }
        if (changed) {
            notifyListeners();
        }
    }

    private void write(List<Entry> next) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Entry entry : next) {
            array.add(entry.server() != null ? toJson(entry.server()) : entry.raw());
        }
        JsonNode root = array;
        if (wrapper != null) {
            ObjectNode copy = wrapper.deepCopy();
            copy.set("servers", array);
            root = copy;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    byte[] json = MAPPER.writeValueAsBytes(root);
                    ByteBuffer bytes = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(true);
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            LOG.error("[cluster-monitor] Cannot write the servers file {}: {}", file, e.toString());
            throw new ApiException(500, "SERVERS_FILE_NOT_WRITTEN", "The servers file " + file.getFileName()
                    + " could not be written (" + e.getMessage() + "); nothing was changed.");
        }
    }

    static ObjectNode toJson(MediaServer server) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", server.id());
        node.put("name", server.name());
        node.put("host", server.host());
        node.put("port", server.port());
        server.extra().forEach(node::set);
        return node;
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(true, attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            return new Stamp(false, 0, 0, null);
        } catch (IOException e) {
            // Unreadable attributes: treat as changed so that the read reports the real problem.
            return new Stamp(true, -1, -1, null);
        }
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("[cluster-monitor] A listener of server changes failed: {}", e.toString());
            }
        }
    }

    private static MediaServer valid(java.util.function.Supplier<MediaServer> read) {
        try {
            return read.get();
        } catch (InvalidServerException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
