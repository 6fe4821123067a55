package org.classtop.plugins.cctv.storage.agent;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.CctvFailure;

/**
 * {@code cctv_cleanup_storage {"max_age_days"?,"max_total_bytes"?,"min_free_bytes"?}} (absent: the configured
 * retention; 0: that rule off). Answers the result when the cleanup ends within {@link #WAIT_SECONDS}; a longer
 * one answers {@code {"running":true,"started_at"}} and its result comes as {@code cleanup_finished}. Asked while
 * one runs: RECORDING_BUSY.
 */
final class CleanupStorageCommand implements CommandHandler {
    static final long WAIT_SECONDS = 20;
    private final Cleaner cleaner;
    private final StorageSettings settings;

    @Inject
    CleanupStorageCommand(Cleaner cleaner, StorageSettings settings) {
        this.cleaner = cleaner;
        this.settings = settings;
    }

    @Override
    public Object handle(CommandRequest request) throws Exception {
        Retention configured = settings.retention();
        Retention retention = new Retention(
                orDefault(request, "max_age_days", Retention.MAX_AGE_DAYS, configured.maxAgeDays()),
                orDefault(request, "max_total_bytes", Long.MAX_VALUE, configured.maxTotalBytes()),
                orDefault(request, "min_free_bytes", Long.MAX_VALUE, configured.minFreeBytes()));
        CompletableFuture<Map<String, Object>> run = cleaner.launch(retention);
        try {
            return run.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("running", true);
            answer.put("started_at", String.valueOf(cleaner.runningSince()));
            return answer;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static long orDefault(CommandRequest request, String name, long max, long configured) {
        Object value = request.params().get(name);
        if (value == null) {
            return configured;
        }
        String text = String.valueOf(value);
        if (value instanceof Integer || value instanceof Long || value instanceof String) {
            try {
                long n = Long.parseLong(text.trim());
                if (n >= 0 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // refused below
            }
        }
        String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        throw CctvFailure.badParams("The parameter '" + name + "' must be a whole number from 0 (no limit) to " + max
                + ", not '" + shown + "'.");
    }
}
