package org.classtop.plugins.videosources;

import java.io.Closeable;
import java.io.IOException;

/** Reads whole JPEG frames from one open upstream connection. Used by one thread. */
interface FrameReader extends Closeable {
    /** The next frame, or null when the upstream ended the stream cleanly. */
    byte[] next() throws IOException;

    /** Releases the connection; may be called from another thread to interrupt a blocked {@link #next()}. */
    @Override
    void close();
}
