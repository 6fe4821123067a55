package org.classtop.api.agent;

import java.io.IOException;

/** A transfer that cannot go on; the message is a sentence saying why. */
public class TransferException extends IOException {
    private static final long serialVersionUID = 1L;

    public TransferException(String message) {
        super(message);
    }
}
