package org.classtop.core.http;

import org.classtop.api.server.ApiException;

/** A refusal the client may try again after a while (429, 503): answered with a {@code Retry-After} header. */
public final class RetryLaterException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public RetryLaterException(int status, String code, String message, long retryAfterSeconds) {
        super(status, code, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
