package org.classtop.plugins.cctv.cameras;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import org.classtop.api.Registration;

/**
 * The cameras of this agent, exported (agent side) by {@code cctv-cameras} to the plugins that name it in
 * {@code Plugin-Dependencies} ({@code cctv-recording}, {@code cctv-storage}, third parties). Each camera is
 * opened once, by one grabber, however many consumers subscribe; a consumer that falls behind drops its own
 * frames only.
 *
 * <pre>{@code
 * @Inject Recorder(CameraFeeds cameras) { this.cameras = cameras; }
 * feed = cameras.subscribe("cam1", "recorder", ConsumerRole.RECORDER, frame -> encoder.write(frame));
 * ...
 * feed.close();
 * }</pre>
 */
public interface CameraFeeds {
    /** The configured cameras, in the order they were added. */
    List<CameraView> cameras();

    /** One camera; empty when there is no such camera. */
    Optional<CameraView> camera(String cameraId);

    /**
     * Delivers the camera's decoded frames to {@code consumer} from the next frame on, until the
     * subscription is closed or the camera removed. Opens the camera if no one holds it yet. Calls for one
     * subscription come one at a time, never on the grabber's thread.
     *
     * @param name shown in the camera's state next to the consumer's drops
     * @throws NoSuchElementException when there is no such camera
     */
    FeedSubscription subscribe(String cameraId, String name, ConsumerRole role, CameraFrameConsumer consumer);

    /** Called with the camera id after a camera is removed (its subscriptions are already closed). */
    Registration onCameraRemoved(Consumer<String> listener);

    /** What a consumer does with the frames; a camera's state says {@code recording}/{@code streaming} from it. */
    enum ConsumerRole { RECORDER, STREAMER, PREVIEW, SNAPSHOT, OTHER }

    @FunctionalInterface
    interface CameraFrameConsumer {
        void onFrame(CameraFrame frame) throws Exception;
    }

    /** One subscription; {@link #close()} ends it. */
    interface FeedSubscription extends Registration {
        String cameraId();

        long delivered();

        long dropped();

        boolean isOpen();
    }
}
