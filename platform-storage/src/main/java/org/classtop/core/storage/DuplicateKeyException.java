package org.classtop.core.storage;

/** An insert collided with a unique key (a username or token already taken): an HTTP 409 for the API. */
public class DuplicateKeyException extends StorageException {
    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
