package org.classtop.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped conf/logback.xml and its set-up in code must log the same way. */
class DistributionLoggingTest {
    @TempDir
    Path home;

    @Test
    void theCodeSetsUpWhatTheShippedFileSays() throws Exception {
        Map<String, String> variables = Map.of("classtop.home", home.toString(), "classtop.log.name", "classtop-lms");
        LoggerContext fromFile = new LoggerContext();
        variables.forEach(fromFile::putProperty);
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromFile);
        try (InputStream shipped = DistributionLogging.class.getResourceAsStream(DistributionLogging.SHIPPED)) {
            joran.doConfigure(shipped);
        }
        LoggerContext fromCode = new LoggerContext();
        fromCode.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's start-up does
        DistributionLogging.apply(fromCode, variables::get);
        try {
            assertEquals(describe(fromFile), describe(fromCode));
            assertEquals(home.resolve("logs/classtop-lms.log").toString(), describe(fromCode).get("FILE.file"));
            assertEquals("WARN", describe(fromCode).get("level io.undertow"), "the set-up is not empty");

            fromCode.getLogger("org.classtop.test").info("a line through the code's set-up");
            fromCode.getLogger("io.undertow.test").info("an INFO line of a chatty library");
            fromCode.stop();
            String logged = Files.readString(home.resolve("logs/classtop-lms.log"), StandardCharsets.UTF_8);
            assertTrue(logged.contains("INFO  [main] org.classtop.test - a line through the code's set-up"), logged);
            assertFalse(logged.contains("chatty library"), logged);
        } finally {
            fromFile.stop();
            fromCode.stop();
        }
    }

    @Test
    void onlyTheUnchangedShippedFileIsRecognised() throws Exception {
        byte[] shipped;
        try (InputStream in = DistributionLogging.class.getResourceAsStream(DistributionLogging.SHIPPED)) {
            shipped = in.readAllBytes();
        }
        Path copy = Files.write(home.resolve("logback.xml"), shipped);
        assertTrue(DistributionLogging.isShipped(copy.toString()));

        String changed = new String(shipped, StandardCharsets.UTF_8).replace("<root level=\"INFO\">", "<root level=\"DEBUG\">");
        Path edited = Files.writeString(home.resolve("edited.xml"), changed);
        assertFalse(DistributionLogging.isShipped(edited.toString()), "an admin's change: logback reads the file");
        assertFalse(DistributionLogging.isShipped(home.resolve("missing.xml").toString()));
        assertFalse(DistributionLogging.isShipped(home.toString()), "a folder");
        assertFalse(DistributionLogging.isShipped("\0nul"), "not a path");
        assertFalse(DistributionLogging.isShipped("org/classtop/agent/logback-default.xml"), "a class path resource");
    }

    @Test
    void withoutAFileOfTheDistributionLogbackGoesOnAsBefore() {
        // Tests and embedding set no logback.configurationFile: logback's own configurators run.
        String before = System.getProperty("logback.configurationFile");
        System.clearProperty("logback.configurationFile");
        try {
            DistributionLogging configurator = new DistributionLogging();
            LoggerContext context = new LoggerContext();
            configurator.setContext(context);
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
            assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
        } finally {
            if (before != null) {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    /** Levels, and each root appender with the settings that matter, as text. */
    private static Map<String, String> describe(LoggerContext context) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(DistributionLogging.LEVELS.keySet());
        names.add(Logger.ROOT_LOGGER_NAME);
        names.add("org.classtop");
        for (String name : names.stream().sorted().toList()) {
            out.put("level " + name, String.valueOf(context.getLogger(name).getLevel()));
        }
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            Appender<ILoggingEvent> appender = appenders.next();
            String name = appender.getName();
            out.put(name + ".class", appender.getClass().getName());
            out.put(name + ".started", String.valueOf(appender.isStarted()));
            if (appender instanceof ConsoleAppender<ILoggingEvent> console && !(appender instanceof RollingFileAppender)) {
                out.put(name + ".target", console.getTarget());
                out.put(name + ".pattern", ((PatternLayoutEncoder) console.getEncoder()).getPattern());
            }
            if (appender instanceof RollingFileAppender<ILoggingEvent> file) {
                out.put(name + ".file", file.getFile());
                out.put(name + ".pattern", ((PatternLayoutEncoder) file.getEncoder()).getPattern());
                SizeAndTimeBasedRollingPolicy<?> rolling = assertInstanceOf(SizeAndTimeBasedRollingPolicy.class, file.getRollingPolicy());
                out.put(name + ".fileNamePattern", rolling.getFileNamePattern());
                out.put(name + ".maxHistory", String.valueOf(rolling.getMaxHistory()));
                out.put(name + ".maxFileSize", String.valueOf(field(rolling, "maxFileSize")));
                out.put(name + ".totalSizeCap", String.valueOf(field(rolling, "totalSizeCap")));
            }
        }
        return out;
    }

    private static Object field(Object object, String name) throws Exception {
        for (Class<?> type = object.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(object);
            } catch (NoSuchFieldException e) {
                // the superclass may have it
            }
        }
        throw new NoSuchFieldException(name);
    }
}
