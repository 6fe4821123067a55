package org.classtop.core.storage;

/** A module's database migrations could not be applied; the message names the module and the cause. */
public class MigrationException extends StorageException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
