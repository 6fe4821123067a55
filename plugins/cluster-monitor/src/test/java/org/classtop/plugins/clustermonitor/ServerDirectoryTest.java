package org.classtop.plugins.clustermonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.server.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerDirectoryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private Path write(String content) throws Exception {
        Path file = dir.resolve("servers.json");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void aMissingFileMeansNoServersAndTheFirstAddCreatesIt() throws Exception {
        ServerDirectory directory = new ServerDirectory(dir.resolve("servers.json"));
        assertEquals(List.of(), directory.servers());
        assertEquals(ServerDirectory.FileState.MISSING, directory.fileStatus().state());

        directory.add(json("{\"id\":\"enc-1\",\"name\":\"Encoder 1\",\"host\":\"10.0.0.5\",\"port\":8888}"));
        JsonNode file = MAPPER.readTree(dir.resolve("servers.json").toFile());
        assertEquals(json("[{\"id\":\"enc-1\",\"name\":\"Encoder 1\",\"host\":\"10.0.0.5\",\"port\":8888}]"), file);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void readsTheSeedFileAndKeepsOtherFieldsAndBadEntries() throws Exception {
        write("[{\"id\":\"1\",\"name\":\"Server 1\",\"host\":\"192.168.2.172\",\"port\":8888,\"rack\":\"A3\"},"
                + "{\"id\":2,\"host\":\"media-2.local\",\"port\":\"9000\"},"
                + "{\"id\":\"3\",\"host\":\"x\",\"port\":70000},"
                + "{\"id\":\"1\",\"host\":\"dup\",\"port\":1}]");
        ServerDirectory directory = new ServerDirectory(dir.resolve("servers.json"));
        List<MediaServer> servers = directory.servers();
        assertEquals(List.of("1", "2"), servers.stream().map(MediaServer::id).toList());
        assertEquals("2", servers.get(1).name(), "a missing name is the id");
        assertEquals(9000, servers.get(1).port(), "a numeric string is a port");
        assertEquals(2, directory.fileStatus().skippedEntries().size(), directory.fileStatus().toString());

        directory.update("1", json("{\"name\":\"Hall encoder\"}"));
        JsonNode file = MAPPER.readTree(dir.resolve("servers.json").toFile());
        assertEquals(4, file.size(), "entries that are not valid are kept as they are");
        assertEquals("A3", file.get(0).path("rack").asText(), "other fields are kept");
        assertEquals("Hall encoder", file.get(0).path("name").asText());
        assertEquals(70000, file.get(2).path("port").asInt());
        assertEquals("dup", file.get(3).path("host").asText());
    }

    @Test
    void aMalformedFileKeepsTheLastGoodListAndRefusesChanges() throws Exception {
        Path file = write("[{\"id\":\"a\",\"host\":\"10.0.0.1\",\"port\":80}]");
        ServerDirectory directory = new ServerDirectory(file);
        assertEquals(1, directory.servers().size());
        AtomicInteger changes = new AtomicInteger();
        directory.onChange(changes::incrementAndGet);

        String broken = "[{\"id\":\"a\",\"host\":\"10.0.0.1\",\"port\":80},";
        Files.writeString(file, broken);
        assertFalse(directory.refresh());
        assertEquals(1, directory.servers().size(), "the last good list is kept");
        assertEquals(ServerDirectory.FileState.UNREADABLE, directory.fileStatus().state());

        ApiException refused = assertThrows(ApiException.class,
                () -> directory.add(json("{\"id\":\"b\",\"host\":\"10.0.0.2\",\"port\":80}")));
        assertEquals(409, refused.status());
        assertEquals("SERVERS_FILE_UNREADABLE", refused.code());
        assertTrue(refused.getMessage().startsWith("The servers file servers.json cannot be read ("), refused.getMessage());
        assertEquals(broken, Files.readString(file), "the file is left as it is");

        Files.writeString(file, "[{\"id\":\"a\",\"host\":\"10.0.0.1\",\"port\":80},{\"id\":\"c\",\"host\":\"10.0.0.3\",\"port\":81}]");
        assertTrue(directory.refresh(), "a fixed file is read again");
        assertEquals(List.of("a", "c"), directory.servers().stream().map(MediaServer::id).toList());
        assertEquals(1, changes.get());
    }

    @Test
    void aWrappedFileKeepsItsShape() throws Exception {
        Path file = write("{\"version\":2,\"servers\":[{\"id\":\"a\",\"host\":\"10.0.0.1\",\"port\":80}]}");
        ServerDirectory directory = new ServerDirectory(file);
        directory.remove("a");
        assertEquals(json("{\"version\":2,\"servers\":[]}"), MAPPER.readTree(file.toFile()));
    }

    @Test
    void checksEveryField() throws Exception {
        ServerDirectory directory = new ServerDirectory(dir.resolve("servers.json"));
        String[][] cases = {
                {"{\"name\":\"x\",\"host\":\"h\",\"port\":1}", "A server needs an \"id\""},
                {"{\"id\":\"bad id!\",\"host\":\"h\",\"port\":1}", "The server id 'bad id!' is not valid"},
                {"{\"id\":\"restarts\",\"host\":\"h\",\"port\":1}", "is reserved"},
                {"{\"id\":\"a\",\"port\":1}", "A server needs a \"host\""},
                {"{\"id\":\"a\",\"host\":\"http://h:80/\",\"port\":1}", "without http://"},
                {"{\"id\":\"a\",\"host\":\"h\",\"port\":0}", "\"port\" must be a whole number between 1 and 65535, not 0."},
                {"{\"id\":\"a\",\"host\":\"h\",\"port\":\"eighty\"}", "not 'eighty'"},
                {"{\"id\":\"a\",\"host\":\"h\",\"port\":80.5}", "not 80.5"},
                {"{\"id\":\"a\",\"host\":\"h\"}", "A server needs a \"port\""},
                {"{\"id\":\"a\",\"name\":[1],\"host\":\"h\",\"port\":1}", "\"name\" must be text"},
                {"[1]", "must be a JSON object"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> directory.add(json(c[0])), c[0]);
            assertEquals(400, e.status(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("servers.json")), "nothing was written");

        MediaServer v6 = directory.add(json("{\"id\":\"v6\",\"host\":\"[fd00::5]\",\"port\":8080}"));
        assertEquals("http://[fd00::5]:8080", v6.baseUrl());
        ApiException duplicate = assertThrows(ApiException.class,
                () -> directory.add(json("{\"id\":\"v6\",\"host\":\"h\",\"port\":1}")));
        assertEquals(409, duplicate.status());
        assertEquals("SERVER_EXISTS", duplicate.code());
        ApiException rename = assertThrows(ApiException.class, () -> directory.update("v6", json("{\"id\":\"v7\"}")));
        assertEquals(400, rename.status());
        assertEquals(404, assertThrows(ApiException.class, () -> directory.remove("nope")).status());
        assertEquals("[ {\n  \"id\" : \"v6\",\n  \"name\" : \"v6\",\n  \"host\" : \"fd00::5\",\n  \"port\" : 8080\n} ]\n",
                Files.readString(dir.resolve("servers.json"), StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }
}
