package org.classtop.core.storage;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Whether a module's history table already records every migration script it ships, each as it is now: then a start
 * needs no Flyway at all (about 260 classes and a classpath scan per module, a good part of a restart on one core).
 * Read without Flyway: the scripts under the module's locations, named {@code V<version>__<description>.sql}, with
 * their descriptions and checksums as Flyway computes them (CRC32 of the UTF-8 lines without line ends, a leading
 * byte-order mark dropped), compared with the successful {@code SQL} rows of the history, as Flyway validates them.
 * Anything else (a missing table, a failed row, another kind of script or file, a location that is neither a folder
 * nor a jar, a checksum computed differently) answers false and Flyway runs as before, with its own validation:
 * this only ever skips a Flyway run that would have found nothing to do. {@code MigrationContract} checks that a
 * restart takes this way.
 */
final class AppliedScripts {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");
    private static final int MAX_SCRIPT_BYTES = 16 * 1024 * 1024;

    private AppliedScripts() {
    }

    /**
     * @param directories the module's script folders as class path names ({@code db/core/common}, ...)
     * @param table       its history table (a sanitised name, see {@link Migrations#historyTable})
     */
    static boolean allApplied(DataSource dataSource, String table, ClassLoader loader, List<String> directories) {
        try {
            Map<String, String> shipped = new HashMap<>();
            for (String directory : directories) {
                Enumeration<URL> urls = loader.getResources(directory);
                while (urls.hasMoreElements()) {
                    for (String script : scripts(urls.nextElement(), directory)) {
                        Matcher name = VERSIONED.matcher(script.substring(script.lastIndexOf('/') + 1));
                        if (!name.matches()) {
                            return false; // a repeatable, undo or callback script, or another file: Flyway decides
                        }
                        Integer checksum = checksum(loader, script);
                        if (checksum == null || shipped.put(name.group(1).replace('_', '.'),
                                name.group(2).replace('_', ' ') + "|" + checksum) != null) {
                            return false; // unreadable, or one version twice (Flyway reports it)
                        }
                    }
                }
            }
            return !shipped.isEmpty() && shipped.equals(applied(dataSource, table));
        } catch (IOException | SQLException | URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The successful SQL migrations of the history, version to "description|checksum"; null if anything else is in
     * it.
     */
    private static Map<String, String> applied(DataSource dataSource, String table) throws SQLException {
        Map<String, String> applied = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version, description, type, checksum, success FROM " + table)) {
            while (rows.next()) {
                String version = rows.getString(1);
                String description = rows.getString(2);
                String type = rows.getString(3);
                int checksum = rows.getInt(4);
                boolean hasChecksum = !rows.wasNull();
                if (!rows.getBoolean(5)) {
                    return null;
                }
                if ("SQL".equals(type) && hasChecksum && version != null) {
                    if (applied.put(version, description + "|" + checksum) != null) {
                        return null;
                    }
                } else if (!"BASELINE".equals(type)) {
                    return null;
                }
            }
        }
        return applied;
    }

    /** The class path names of the files under {@code url} (a folder or a folder in a jar), sub-folders included. */
    private static List<String> scripts(URL url, String directory) throws IOException, URISyntaxException {
        if ("file".equals(url.getProtocol())) {
            Path root = Path.of(url.toURI());
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile)
                        .map(file -> directory + "/" + root.relativize(file).toString().replace('\\', '/'))
                        .toList();
            }
        }
        if ("jar".equals(url.getProtocol())) {
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false); // its own handle, closed here: the class loader's stays as it is
            try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
                String prefix = directory + "/";
                return jar.stream().filter(entry -> !entry.isDirectory() && entry.getName().startsWith(prefix))
                        .map(JarEntry::getName).toList();
            }
        }
        throw new IOException("not a folder or a jar: " + url);
    }

    /** Flyway's checksum of a script; null if it cannot be read as UTF-8 or is too large. */
    static Integer checksum(ClassLoader loader, String script) throws IOException {
        try (InputStream in = loader.getResourceAsStream(script)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readNBytes(MAX_SCRIPT_BYTES + 1);
            if (bytes.length > MAX_SCRIPT_BYTES) {
                return null;
            }
            return checksum(bytes);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static int checksum(byte[] script) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new ByteArrayInputStream(script), decoder))) {
            String line = lines.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = lines.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }
}
