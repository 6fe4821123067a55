package org.classtop.api.server;

import org.classtop.api.EventListener;

/** Declares an event listener for a pattern: an exact name, {@code prefix.*}, or {@code *}. */
public interface ListenerBuilder {
    void to(Class<? extends EventListener> listener);
}
