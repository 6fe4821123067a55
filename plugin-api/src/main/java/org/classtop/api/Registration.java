package org.classtop.api;

/** A handle to one registration: closing it removes exactly that registration. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
