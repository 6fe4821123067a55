package org.classtop.plugins.settings;

/** A setting key or value that cannot be stored; the message is one sentence for a person. */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String message) {
        super(message);
    }
}
