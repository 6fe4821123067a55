package org.classtop.plugins.videosources;

import org.classtop.api.server.StreamSink;
import org.classtop.api.video.VideoFrame;

/**
 * An MJPEG viewer ({@code multipart/x-mixed-replace}). The platform's newest-wins sink keeps one waiting
 * part per viewer and counts the parts it replaced: those are this viewer's drops.
 */
final class StreamSubscriber extends Subscriber {
    private final StreamSink sink;

    StreamSubscriber(Source source, String name, StreamSink sink) {
        super(source, "mjpeg", name);
        this.sink = sink;
    }

    @Override
    protected void offer(VideoFrame frame) {
        if (sink.send("image/jpeg", frame.sharedBytes())) {
            delivered.incrementAndGet();
        } else {
            close();
        }
    }

    @Override
    public long delivered() {
        return Math.max(0, delivered.get() - sink.droppedParts());
    }

    @Override
    public long dropped() {
        return sink.droppedParts();
    }

    @Override
    protected void closed() {
        sink.close();
    }
}
