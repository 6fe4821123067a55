package org.classtop.api.server;

/**
 * Admits agent connections of one {@code client_type} by a credential the plugin keeps (e.g. the API key a
 * management server issued to an LMS), so the core stays ignorant of such keys. Declared in
 * {@code configure()} with {@code agentAuthenticator("lms").to(LmsConnections.class)}.
 *
 * <p>When a register frame names that {@code client_type}, the hub asks this authenticator instead of its
 * enrolment rules: an admitted connection is approved at once (no pending state, no agent credential is
 * issued); a refused one is closed with the reason. A uuid once admitted as this type cannot later connect
 * as another type. Called on an I/O thread: answer from memory, never block.
 */
@FunctionalInterface
public interface AgentAuthenticator {
    /**
     * @param clientUuid the uuid the connection claims (already checked to be well formed)
     * @param token      the {@code token} of the register frame, or null
     * @param address    the connection's source address
     */
    Verdict authenticate(String clientUuid, String token, String address);

    /** The answer: admitted, or refused with one readable sentence (sent in the close frame). */
    record Verdict(boolean admitted, String reason) {
        public static Verdict admit() {
            return new Verdict(true, null);
        }

        public static Verdict refuse(String reason) {
            return new Verdict(false, java.util.Objects.requireNonNull(reason, "reason"));
        }
    }
}
