package org.classtop.plugins.clustermonitor;

/** A server entry (of servers.json or a request) that cannot be used; the message is one sentence. */
final class InvalidServerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidServerException(String message) {
        super(message);
    }
}
