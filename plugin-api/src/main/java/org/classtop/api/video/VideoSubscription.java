package org.classtop.api.video;

import org.classtop.api.Registration;

/** One subscriber of one source; {@link #close()} ends it (also ended when the source is deleted). */
public interface VideoSubscription extends Registration {
    String sourceId();

    /** Frames handed to the subscriber so far. */
    long delivered();

    /** Frames the subscriber skipped because it was still busy with an earlier one. */
    long dropped();

    boolean isOpen();
}
