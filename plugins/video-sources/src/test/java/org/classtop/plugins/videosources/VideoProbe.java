package org.classtop.plugins.videosources;

import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.Event;
import org.classtop.api.EventListener;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.ServerPlugin;
import org.classtop.api.video.VideoSources;
import org.pf4j.Extension;

/**
 * A second plugin, as an inference plugin would be: it lists video-sources as a dependency and injects the
 * exported {@link VideoSources}; it also records the video-sources.* events of the live feed.
 */
@Extension
public final class VideoProbe extends ServerPlugin {
    static volatile VideoSources service;
    static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    protected void configure() {
        lifecycle(Holder.class);
        listen("video-sources.*").to(Recorder.class);
    }

    static final class Holder implements Lifecycle {
        private final VideoSources video;

        @Inject
        Holder(VideoSources video) {
            this.video = video;
        }

        @Override
        public void start() {
            service = video;
        }
    }

    static final class Recorder implements EventListener {
        @Override
        public void onEvent(Event event) {
            EVENTS.add(event);
        }
    }
}
