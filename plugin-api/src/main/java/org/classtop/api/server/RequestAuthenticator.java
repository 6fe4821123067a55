package org.classtop.api.server;

import java.util.Optional;

/**
 * A route's own way to recognise a caller, for machines that hold a key rather than a login (e.g. the
 * LMS key a management server checks). Named with {@code route(..).authenticatedBy(MyKeys.class)}; a
 * route without it accepts only the normal login. Runs before the normal login on a worker thread (it
 * may read the database). Return the caller for a valid credential of its own, empty when the request
 * carries none (the normal login is tried next), or throw {@link ApiException} (401) for a wrong one.
 */
@FunctionalInterface
public interface RequestAuthenticator {
    Optional<Caller> authenticate(ApiRequest request);
}
