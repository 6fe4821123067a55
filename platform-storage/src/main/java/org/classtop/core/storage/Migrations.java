package org.classtop.core.storage;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.classtop.api.server.Database.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migrations, one history per module (the core and each plugin): locations
 * {@code classpath:db/<moduleId>/common} and {@code classpath:db/<moduleId>/<sqlite|postgresql>},
 * found through the module's class loader, history in {@link #historyTable(String)}. One module
 * migrates at a time.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final Dialect dialect;
    private final DataSource dataSource;
    private final Object lock = new Object();
    /** Modules handed to Flyway, for tests: a restart with nothing to apply hands none. */
    private final AtomicInteger flywayRuns = new AtomicInteger();

    Migrations(Dialect dialect, DataSource dataSource) {
        this.dialect = dialect;
        this.dataSource = dataSource;
    }

    /** See {@link PlatformDatabase#migrate(String, ClassLoader)}. */
    void migrate(String moduleId, ClassLoader loader) {
        Objects.requireNonNull(moduleId, "moduleId");
        if (moduleId.isBlank()) throw new IllegalArgumentException("moduleId must not be blank");
        ClassLoader cl = loader != null ? loader : Migrations.class.getClassLoader();
        String table = historyTable(moduleId);
        String dialectDir = dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
        List<String> directories = new ArrayList<>();
        for (String dir : List.of("common", dialectDir)) {
            if (cl.getResource("db/" + moduleId + "/" + dir) != null) directories.add("db/" + moduleId + "/" + dir);
        }
        if (directories.isEmpty()) {
            if (!mayHoldScripts(cl, moduleId)) {
                // Most plugins have no tables: no Flyway set-up and history query for them (a start costs less).
                LOG.debug("Module {} has no database migrations", moduleId);
                return;
            }
            // Directory entries may be missing from a hand-made jar: let Flyway scan anyway.
            directories.add("db/" + moduleId + "/common");
            directories.add("db/" + moduleId + "/" + dialectDir);
        }
        String[] locations = directories.stream().map(directory -> "classpath:" + directory).toArray(String[]::new);
        synchronized (lock) {
            if (AppliedScripts.allApplied(dataSource, table, cl, directories)) {
                LOG.debug("Module {}: every migration is applied", moduleId);
                return;
            }
            flywayRuns.incrementAndGet();
            try {
                FluentConfiguration config = Flyway.configure(cl)
                        .dataSource(dataSource)
                        .locations(locations)
                        .table(table)
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .baselineDescription("<< " + moduleId + " baseline >>")
                        .failOnMissingLocations(false)
                        .cleanDisabled(true);
                Flyway flyway = config.load();
                if (flyway.info().all().length == 0) {
                    LOG.debug("Module {} has no database migrations", moduleId);
                    return;
                }
                var result = flyway.migrate();
                if (result.migrationsExecuted > 0) {
                    LOG.info("Database migrations of {}: {} applied, now at version {}", moduleId,
                            result.migrationsExecuted, result.targetSchemaVersion);
                }
            } catch (RuntimeException e) {
                throw new MigrationException("Database migration of module '" + moduleId + "' failed ("
                        + dialect.name().toLowerCase(Locale.ROOT) + "): " + PlatformDatabase.rootMessage(e), e);
            }
        }
    }

    int flywayRuns() {
        return flywayRuns.get();
    }

    /**
     * False only when the loader's own jars and folders certainly hold nothing under {@code db/<moduleId>/} (a plugin's
     * class loader lists them); true when in doubt (another kind of loader, a URL that is not a file, an unreadable jar).
     */
    static boolean mayHoldScripts(ClassLoader loader, String moduleId) {
        if (!(loader instanceof URLClassLoader urls)) return true;
        String prefix = "db/" + moduleId + "/";
        for (URL url : urls.getURLs()) {
            try {
                if (!"file".equals(url.getProtocol())) return true;
                Path path = Path.of(url.toURI());
                if (Files.isDirectory(path)) {
                    if (Files.exists(path.resolve(prefix))) return true;
                } else {
                    try (ZipFile jar = new ZipFile(path.toFile())) {
                        if (jar.stream().anyMatch(entry -> entry.getName().startsWith(prefix))) return true;
                    }
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                return true;
            }
        }
        return false;
    }

    /** The Flyway history table of a module: {@code flyway_history_} + its id, lower case, non-[a-z0-9] as _. */
    static String historyTable(String moduleId) {
        StringBuilder sb = new StringBuilder("flyway_history_");
        for (char ch : moduleId.toLowerCase(Locale.ROOT).toCharArray()) {
            sb.append((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_');
        }
        if (sb.length() > 63) { // PostgreSQL's identifier limit
            String hash = Hashes.sha256Hex(moduleId).substring(0, 8);
            sb.setLength(54);
            sb.append('_').append(hash);
        }
        return sb.toString();
    }
}
