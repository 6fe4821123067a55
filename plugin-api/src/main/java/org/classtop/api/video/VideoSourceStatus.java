package org.classtop.api.video;

import java.util.List;

/**
 * What a source is doing now.
 *
 * @param connected      true from the first frame after (re)connecting until the connection ends
 * @param fps            frames received per second, over the last few seconds
 * @param frames         frames received since the source was added or the server started
 * @param bytesPerSecond bytes of frames received per second, over the last few seconds
 * @param lastError      the last connection or stream error, a sentence (null when none yet)
 * @param lastErrorAt    when it happened, epoch milliseconds (0 when none)
 * @param lastFrameAt    when the newest frame arrived, epoch milliseconds (0 when none yet)
 * @param subscribers    who is reading the source now, with their drops
 */
public record VideoSourceStatus(String id, String url, String format, boolean connected, double fps, long frames,
                                long bytesPerSecond, String lastError, long lastErrorAt, long lastFrameAt,
                                List<Subscriber> subscribers) {
    public VideoSourceStatus {
        subscribers = List.copyOf(subscribers);
    }

    /**
     * One subscriber.
     *
     * @param kind {@code mjpeg}, {@code websocket} or {@code in-process}
     * @param name who subscribed: a user, a remote address or a plugin's own name
     */
    public record Subscriber(long id, String kind, String name, long sinceMillis, long delivered, long dropped) {
    }
}
