package org.classtop.plugins.videosources.ffmpeg;

/**
 * Paces frames of a file or filter graph (which FFmpeg reads as fast as it can) by their timestamps. The clock is
 * kept across reopenings of a looping file: after {@link #restart} the next frame is due one frame interval after
 * the last one, so a one-frame file (a still image) plays at its rate instead of reopening in a tight loop.
 */
public final class Pacer {
    private static final long DEFAULT_INTERVAL_NANOS = 40_000_000L; // 25 fps when the source says nothing
    private long firstTimestampMicros = -1;
    private long firstNanos;
    private long lastTimestampMicros;
    private long lastDueNanos = Long.MIN_VALUE;
    private long intervalNanos = DEFAULT_INTERVAL_NANOS;
    private boolean restarted;

    /** The source was reopened (a file's next loop); {@code frameRate} is its rate, 0 when unknown. */
    public void restart(double frameRate) {
        if (frameRate > 0 && frameRate < 1000) {
            intervalNanos = (long) (1e9 / frameRate);
        }
        restarted = true;
    }

    /** How long to wait before the frame with this timestamp is due (0: now). */
    public long waitNanos(long timestampMicros, long nowNanos) {
        if (firstTimestampMicros < 0 || restarted || timestampMicros < lastTimestampMicros) {
            boolean continues = lastDueNanos != Long.MIN_VALUE;
            firstTimestampMicros = timestampMicros;
            firstNanos = continues ? Math.max(nowNanos, lastDueNanos + intervalNanos) : nowNanos;
            restarted = false;
        } else if (timestampMicros > lastTimestampMicros) {
            long step = (timestampMicros - lastTimestampMicros) * 1000;
            if (step < 10_000_000_000L) {
                intervalNanos = step;
            }
        }
        lastTimestampMicros = timestampMicros;
        lastDueNanos = firstNanos + (timestampMicros - firstTimestampMicros) * 1000;
        return Math.max(0, lastDueNanos - nowNanos);
    }
}
