package org.classtop.plugins.cctv.cameras.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.classtop.api.PluginContext;

/**
 * The plugin's settings on the agent (environment {@code CCTV_CAMERAS_<NAME>} or the system property
 * {@code cctv-cameras.<NAME>}), read once.
 */
@Singleton
final class CameraSettings {
    final int maxCameras;
    final int maxConsumers;
    /** First retry delay of a failing camera; doubles per failed attempt up to {@link #reconnectMax}, ±50 % jitter. */
    final Duration reconnectMin;
    final Duration reconnectMax;
    /** A network source that sends nothing for this long fails (FFmpeg's rw_timeout) and is reopened. */
    final Duration stallTimeout;
    final int deliveryThreads;
    /** Frames waiting for one consumer before the oldest is dropped. */
    final int consumerQueue;
    /** JPEG quality (FFmpeg qscale, 2 best to 31 smallest) of CameraFrame.jpeg(), previews and snapshots. */
    final int jpegQscale;
    /** How long a snapshot waits for the camera's next frame. */
    final Duration snapshotWait;

    @Inject
    CameraSettings(PluginContext context) {
        this(context.configInt("MAX_CAMERAS", 16), context.configInt("MAX_CONSUMERS", 32),
                context.configDuration("RECONNECT_MIN", Duration.ofMillis(500)),
                context.configDuration("RECONNECT_MAX", Duration.ofSeconds(30)),
                context.configDuration("STALL_TIMEOUT", Duration.ofSeconds(10)),
                context.configInt("DELIVERY_THREADS", 8), context.configInt("CONSUMER_QUEUE", 4),
                context.configInt("JPEG_QSCALE", 5), context.configDuration("SNAPSHOT_WAIT", Duration.ofSeconds(5)));
    }

    CameraSettings(int maxCameras, int maxConsumers, Duration reconnectMin, Duration reconnectMax, Duration stallTimeout,
                   int deliveryThreads, int consumerQueue, int jpegQscale, Duration snapshotWait) {
        this.maxCameras = atLeast("MAX_CAMERAS", maxCameras, 1);
        this.maxConsumers = atLeast("MAX_CONSUMERS", maxConsumers, 1);
        this.reconnectMin = positive("RECONNECT_MIN", reconnectMin);
        this.reconnectMax = reconnectMax.compareTo(reconnectMin) < 0 ? reconnectMin : reconnectMax;
        this.stallTimeout = positive("STALL_TIMEOUT", stallTimeout);
        this.deliveryThreads = atLeast("DELIVERY_THREADS", deliveryThreads, 1);
        this.consumerQueue = atLeast("CONSUMER_QUEUE", consumerQueue, 1);
        this.jpegQscale = Math.min(31, atLeast("JPEG_QSCALE", jpegQscale, 2));
        this.snapshotWait = positive("SNAPSHOT_WAIT", snapshotWait);
    }

    private static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The setting cctv-cameras." + name + " must be a positive duration, not " + value + ".");
        }
        return value;
    }

    private static int atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException("The setting cctv-cameras." + name + " must be at least " + least + ", not " + value + ".");
        }
        return value;
    }
}
