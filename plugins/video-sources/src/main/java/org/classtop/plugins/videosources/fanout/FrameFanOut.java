package org.classtop.plugins.videosources.fanout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each frame of one producer (a server video source, an agent camera) to every subscriber without
 * blocking the producer: each subscriber keeps what it can (a mailbox, a socket's window) and counts what it
 * skips, so a slow subscriber drops its own frames only. One implementation for the server's video sources
 * and the agents' cameras (cctv-cameras); thread-safe.
 *
 * @param <F> the frame type, shared by every subscriber (never copied per subscriber)
 */
public final class FrameFanOut<F> {
    private final CopyOnWriteArrayList<FanOutSubscriber<F>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Offers {@code frame} to every open subscriber; never blocks on a subscriber. */
    public void publish(F frame) {
        for (FanOutSubscriber<F> subscriber : subscribers) {
            subscriber.offer(frame);
        }
    }

    /** Adds a subscriber of this fan-out; one added after {@link #closeAll()} is closed at once. */
    public <S extends FanOutSubscriber<F>> S add(S subscriber) {
        if (subscriber.fanOut != this) {
            throw new IllegalArgumentException("The subscriber belongs to another fan-out.");
        }
        if (subscriber.isOpen()) {
            subscribers.add(subscriber);
        }
        if (closed || !subscriber.isOpen()) { // closed meanwhile
            subscriber.close();
        }
        return subscriber;
    }

    void remove(FanOutSubscriber<F> subscriber) {
        subscribers.remove(subscriber);
    }

    /** Ends every subscriber, now and later: the producer is gone for good. */
    public void closeAll() {
        closed = true;
        subscribers.forEach(FanOutSubscriber::close);
    }

    public boolean isClosed() {
        return closed;
    }

    public int size() {
        return subscribers.size();
    }

    /** Whether any subscriber is attached (a producer may skip preparing a frame no one reads). */
    public boolean isEmpty() {
        return subscribers.isEmpty();
    }

    /** The open subscribers, in the order they came. */
    public List<FanOutSubscriber<F>> subscribers() {
        return List.copyOf(subscribers);
    }
}
