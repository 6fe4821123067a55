package org.classtop.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One launcher of the distribution's {@code bin/} started as a child process. Its stdout and stderr go to
 * files in the test's work folder (no pipe can fill up and block it), its logs to a folder of its own there
 * (never into the distribution), and it is stopped by its own PID: SIGTERM, then SIGKILL after a grace time.
 * The launchers {@code exec} java, so the process started here is the JVM itself.
 */
public final class LaunchedProcess implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private LaunchedProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code bin/<launcher> args...} in {@code workDir}, with the environment of this JVM minus every
     * ClassTop variable (so that a developer's or a CI's settings never leak in), plus {@code env}.
     */
    static LaunchedProcess start(String launcher, List<String> args, Map<String, String> env, Path workDir) {
        return start(Distribution.launcher(launcher), args, env, workDir);
    }

    /** As {@link #start(String, List, Map, Path)}, with a launcher of another unpacked distribution. */
    static LaunchedProcess start(Path launcherPath, List<String> args, Map<String, String> env, Path workDir) {
        String launcher = launcherPath.getFileName().toString().replace(".bat", "");
        String name = launcher + "-" + COUNTER.incrementAndGet();
        Path out = workDir.resolve(name + ".stdout");
        Path err = workDir.resolve(name + ".stderr");
        Path logs = workDir.resolve(name + "-logs");
        List<String> command = new ArrayList<>();
        command.add(launcherPath.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("CLASSTOP_") || k.startsWith("MANAGEMENT_") || k.equals("JAVA_OPTS"));
        // The launchers split the JVM options on spaces: pass the log folder only when its path has none
        // (else the logs land in the distribution's logs/, which is harmless).
        if (!logs.toString().matches(".*\\s.*")) {
            environment.put("CLASSTOP_JAVA_OPTS", "-Dclasstop.log.dir=" + logs);
        }
        environment.putAll(env);
        try {
            return new LaunchedProcess(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** The lines of stdout that match {@code pattern} entirely. */
    List<Matcher> stdoutLines(Pattern pattern) {
        List<Matcher> found = new ArrayList<>();
        for (String line : stdout().split("\\R")) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                found.add(m);
            }
        }
        return found;
    }

    /** Waits for a stdout line matching {@code pattern} entirely; fails at once if the process ends first. */
    Matcher awaitStdoutLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Matcher> found = stdoutLines(pattern);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing a line like '"
                        + pattern + "'" + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " printed no line like '" + pattern + "' within " + timeout + describe());
            }
            pause();
        }
    }

    /** Waits for the process to end by itself; answers its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + describe());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM, then SIGKILL if it is still running after {@code grace}; answers the exit code. */
    public int stop(Duration grace) {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println(name + " (pid " + pid() + ") ignored SIGTERM for " + grace + ": killing it");
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL (a crash or a power cut, for the process); waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + pid() + ") survived SIGKILL for 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    /** Both outputs (the tail of stderr), for failure messages. */
    public String describe() {
        String err = stderr();
        if (err.length() > 6000) {
            err = "...\n" + err.substring(err.length() - 6000);
        }
        return "\n--- " + name + " stdout ---\n" + stdout() + "\n--- " + name + " stderr ---\n" + err;
    }

    private static String read(Path file) {
        try {
            // Bytes, not readString: the file may end in the middle of a character that is being written.
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
