package org.classtop.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code bin/classtop-agent}: parses the flags, starts the {@link AgentRuntime}, prints
 * {@code classtop-agent connected to URL} once the server first accepted it, and stops cleanly on SIGTERM.
 */
public final class Main {
    /** Exit code for bad flags. */
    static final int USAGE = 2;
    /** Exit code when the agent cannot start (e.g. an unusable data folder). */
    static final int CANNOT_START = 1;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        useDefaultLogging();
        AgentConfig config;
        CommandLine commandLine = new CommandLine(new AgentCommandLine());
        try {
            commandLine.setDefaultValueProvider(new AgentDefaults(System::getenv,
                    AgentDefaults.read(AgentDefaults.configFile())));
            ParseResult parsed = commandLine.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
            config = ((AgentCommandLine) commandLine.getCommand()).toConfig();
        } catch (ParameterException | IllegalArgumentException e) {
            System.exit(fail(System.err, e.getMessage(), USAGE));
            return;
        }

        AgentRuntime runtime = AgentRuntime.builder(config).build();
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "classtop-agent-shutdown"));
        runtime.firstRegistration().thenRun(() -> {
            System.out.println("classtop-agent connected to " + config.serverDisplay());
            System.out.flush();
        });
        try {
            runtime.start();
        } catch (IOException | UncheckedIOException e) {
            runtime.close();
            System.exit(fail(System.err, "cannot use the data folder " + config.dataDir().toAbsolutePath() + ": "
                    + describe(e), CANNOT_START));
            return;
        }
        runtime.awaitTermination();
    }

    /**
     * Without {@code -Dlogback.configurationFile} (bin/classtop-agent passes conf/logback.xml): the agent's own
     * default, logging to stderr. Not a {@code logback.xml} at the jar's root, which would be a second one on
     * the class path of every test that runs the agent next to the server.
     */
    private static void useDefaultLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "org/classtop/agent/logback-default.xml");
        }
    }

    /** A readable reason: file-system exceptions often carry nothing but a path as their message. */
    static String describe(Exception error) {
        Throwable cause = error instanceof UncheckedIOException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.nio.file.AccessDeniedException denied) {
            return "permission denied for " + denied.getFile();
        }
        if (cause instanceof java.nio.file.FileSystemException fileSystem) {
            String reason = fileSystem.getReason() == null ? cause.getClass().getSimpleName() : fileSystem.getReason();
            return fileSystem.getFile() + ": " + reason;
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Prints {@code classtop-agent: reason} as one line and returns {@code code}. */
    static int fail(PrintStream err, String reason, int code) {
        String line = reason == null ? "invalid arguments" : reason.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        err.println("classtop-agent: " + line);
        err.flush();
        return code;
    }
}
