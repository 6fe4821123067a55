package org.classtop.core.http;

import java.util.Map;
import org.classtop.api.server.ApiException;

/** A refusal that also names what it is about for a program: rendered with {@code "data":{...}} next to the code. */
public final class DetailedApiException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> data;

    public DetailedApiException(int status, String code, String message, Map<String, Object> data) {
        super(status, code, message);
        this.data = data;
    }

    public Map<String, Object> data() {
        return data;
    }
}
