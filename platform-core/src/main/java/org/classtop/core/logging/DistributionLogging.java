package org.classtop.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import ch.qos.logback.core.util.StatusPrinter2;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The distribution's logging ({@code conf/logback.xml}, kept in this jar as {@value #SHIPPED}) set up in code while
 * that file is unchanged: logback's XML reading (its configuration model and the JDK's XML parser, about 320 classes)
 * then never loads, which saves about 2 MB of every server and a part of its start. A changed file, another file
 * ({@code -Dlogback.configurationFile}) or none at all (tests, embedding) goes to logback's own configurators as
 * before. {@code DistributionLoggingTest} checks that both ways set up the same loggers and appenders.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DistributionLogging extends ContextAwareBase implements Configurator {
    static final String SHIPPED = "/org/classtop/core/logging/logback-distribution.xml";
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    /** The chatty libraries' levels; everything else logs from INFO. */
    static final Map<String, Level> LEVELS = Map.of("org.xnio", Level.WARN, "io.undertow", Level.WARN,
            "org.flywaydb", Level.WARN, "com.zaxxer.hikari", Level.WARN, "org.pf4j", Level.INFO);
    private static final int MAX_BYTES = 64 * 1024;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String configured = System.getProperty("logback.configurationFile");
        if (configured == null || !isShipped(configured)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, DistributionLogging::variable);
        addInfo("Logging set up as in the unchanged " + configured);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether {@code file} is a readable file with the same bytes as the shipped configuration. */
    static boolean isShipped(String file) {
        try (InputStream shipped = DistributionLogging.class.getResourceAsStream(SHIPPED)) {
            Path path = Path.of(file);
            if (shipped == null || !Files.isRegularFile(path) || Files.size(path) > MAX_BYTES) {
                return false;
            }
            return Arrays.equals(shipped.readAllBytes(), Files.readAllBytes(path));
        } catch (IOException | InvalidPathException | SecurityException e) {
            return false;
        }
    }

    /**
     * What the shipped file says, with its variables read by {@code variable}: console on stderr, the file
     * {@code <classtop.log.dir or <classtop.home>/logs>/<classtop.log.name>.log} rolled daily and at 20 MB, 14 days and
     * 500 MB at most, the chatty libraries at WARN.
     */
    static void apply(LoggerContext context, UnaryOperator<String> variable) {
        String home = orElse(variable.apply("classtop.home"), ".");
        String dir = orElse(variable.apply("classtop.log.dir"), home + "/logs");
        String name = orElse(variable.apply("classtop.log.name"), "classtop");

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        console.start();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(dir + "/" + name + ".log");
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir + "/" + name + ".%d{yyyy-MM-dd}.%i.log.gz");
        rolling.setMaxFileSize(FileSize.valueOf("20MB"));
        rolling.setMaxHistory(14);
        rolling.setTotalSizeCap(FileSize.valueOf("500MB"));
        rolling.start();
        file.setRollingPolicy(rolling);
        file.setEncoder(encoder(context));
        file.start();

        LEVELS.forEach((logger, level) -> context.getLogger(logger).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        root.addAppender(file);
        // As logback does after reading a file: problems (an unwritable log folder) are printed, not lost.
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** As logback resolves a variable of the file: a system property, else an environment variable. */
    private static String variable(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value; // as ${name:-fallback}: only an undefined variable falls back
    }
}
