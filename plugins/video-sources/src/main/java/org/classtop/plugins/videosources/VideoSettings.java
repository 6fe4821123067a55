package org.classtop.plugins.videosources;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.classtop.api.PluginContext;
import org.classtop.plugins.videosources.ffmpeg.Grabbers;

/**
 * The plugin's settings (environment {@code VIDEO_SOURCES_<NAME>}, or {@code video-sources.<NAME>} in
 * conf/classtop.properties), read once at start.
 */
@Singleton
final class VideoSettings {
    /** No frame for this long on an open connection: it is stalled, close it and reconnect. */
    final Duration stallTimeout;
    /** Opening the TCP connection (or the FFmpeg input) may take this long. */
    final Duration connectTimeout;
    /** First reconnect delay; doubles per failed attempt up to {@link #reconnectMax}, with jitter. */
    final Duration reconnectMin;
    final Duration reconnectMax;
    /** The largest frame accepted; a longer length prefix or JPEG closes the connection. */
    final int maxFrameBytes;
    final int maxSources;
    final int maxSubscribersPerSource;
    /** Threads delivering frames to in-process subscribers (a busy subscriber holds one). */
    final int deliveryThreads;
    /** JPEG quality of frames FFmpeg sources encode: 2 (best) to 31 (smallest), FFmpeg's qscale. */
    final int jpegQscale;
    /** Frames a browser WebSocket may have unacknowledged before newer frames replace the waiting one. */
    final int socketWindow;
    /** Frames waiting for an in-process subscriber before the oldest is dropped. */
    final int subscriberQueue;
    /** The largest picture (width x height) an FFmpeg source may deliver; a bigger one is refused. */
    final long maxPixels;

    @Inject
    VideoSettings(PluginContext context) {
        this(context.configDuration("STALL_TIMEOUT", Duration.ofSeconds(10)),
                context.configDuration("CONNECT_TIMEOUT", Duration.ofSeconds(5)),
                context.configDuration("RECONNECT_MIN", Duration.ofMillis(500)),
                context.configDuration("RECONNECT_MAX", Duration.ofSeconds(30)),
                context.configInt("MAX_FRAME_BYTES", 16 << 20),
                context.configInt("MAX_SOURCES", 64),
                context.configInt("MAX_SUBSCRIBERS", 256),
                context.configInt("DELIVERY_THREADS", 16),
                context.configInt("JPEG_QSCALE", 5),
                context.configInt("SOCKET_WINDOW", 2),
                context.configInt("SUBSCRIBER_QUEUE", 4),
                context.configLong("MAX_PIXELS", Grabbers.DEFAULT_MAX_PIXELS));
    }

    VideoSettings(Duration stallTimeout, Duration connectTimeout, Duration reconnectMin, Duration reconnectMax,
                  int maxFrameBytes, int maxSources, int maxSubscribersPerSource, int deliveryThreads, int jpegQscale,
                  int socketWindow, int subscriberQueue, long maxPixels) {
        this.stallTimeout = positive("STALL_TIMEOUT", stallTimeout);
        this.connectTimeout = positive("CONNECT_TIMEOUT", connectTimeout);
        this.reconnectMin = positive("RECONNECT_MIN", reconnectMin);
        this.reconnectMax = reconnectMax.compareTo(reconnectMin) < 0 ? reconnectMin : reconnectMax;
        this.maxFrameBytes = atLeast("MAX_FRAME_BYTES", maxFrameBytes, 1024);
        this.maxSources = atLeast("MAX_SOURCES", maxSources, 1);
        this.maxSubscribersPerSource = atLeast("MAX_SUBSCRIBERS", maxSubscribersPerSource, 1);
        this.deliveryThreads = atLeast("DELIVERY_THREADS", deliveryThreads, 1);
        this.jpegQscale = Math.min(31, atLeast("JPEG_QSCALE", jpegQscale, 2));
        this.socketWindow = atLeast("SOCKET_WINDOW", socketWindow, 1);
        this.subscriberQueue = atLeast("SUBSCRIBER_QUEUE", subscriberQueue, 1);
        if (maxPixels < 64 * 64) {
            throw new IllegalArgumentException("The setting video-sources.MAX_PIXELS must be at least 4096, not " + maxPixels + ".");
        }
        this.maxPixels = maxPixels;
    }

    private static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The setting video-sources." + name + " must be a positive duration, not " + value + ".");
        }
        return value;
    }

    private static int atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException("The setting video-sources." + name + " must be at least " + least + ", not " + value + ".");
        }
        return value;
    }
}
