package org.classtop.core.clients;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.server.ApiException;
import org.classtop.core.auth.Secrets;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.classtop.core.storage.EnrollmentTokenRepository;
import org.classtop.core.storage.EnrollmentTokenRepository.EnrollmentToken;
import org.classtop.core.storage.Hashes;

/**
 * Decides who may connect (SPEC section 4): {@code token} mode needs an enrolment token,
 * {@code approve} mode admits unknown agents as pending, {@code open} admits anyone. An approved
 * agent gets its own credential ({@code ctc_...}, stored hashed) and must present it from then on,
 * in every mode.
 *
 * <p>An enrolment token creates new clients only: it never re-keys a client that exists, which needs
 * that client's credential or an admin's "re-enrol". A client approved without a credential (a legacy
 * client, which cannot keep one, or an agent approved while offline) is pinned to the address it was
 * approved from: outside {@code open} mode, a connection from another address is refused.
 */
@Singleton
public final class EnrollmentService {
    public static final String APPROVED = "approved";
    public static final String PENDING = "pending";
    public static final String REJECTED = "rejected";

    /** The outcome of a registration. */
    public sealed interface Decision permits Admit, Refuse {
    }

    /**
     * @param newCredential a credential to hand to the agent now, or null
     * @param proven        the connection presented this client's own credential: it may replace an older
     *                      connection of the same client from any address
     */
    public record Admit(String enrollment, String newCredential, boolean proven) implements Decision {
    }

    public record Refuse(String reason) implements Decision {
    }

    private final EnrollmentMode mode;
    private final EnrollmentTokenRepository tokens;
    private final Map<String, EnrollmentToken> tokensByHash = new ConcurrentHashMap<>();

    @Inject
    public EnrollmentService(ServerConfig config, EnrollmentTokenRepository tokens) {
        this.mode = config.enrollment();
        this.tokens = tokens;
    }

    public void load() {
        for (EnrollmentToken token : tokens.list()) {
            if (!token.revoked()) {
                tokensByHash.put(token.tokenHash(), token);
            }
        }
    }

    /** A new agent credential; only its SHA-256 is kept. */
    public static String newCredential() {
        return Secrets.newToken("ctc_");
    }

    public EnrollmentMode mode() {
        return mode;
    }

    /**
     * Runs on the I/O thread: memory only, writes go behind.
     *
     * @param client    the client as known, or null for a uuid never seen (or forgotten)
     * @param presented the {@code token} of the register frame: a credential or an enrolment token
     * @param presentedEnrollmentToken the {@code enrollment_token} of the register frame, which an agent holding
     *                  a credential sends too, so that it can enrol again once an admin re-enrolled it; or null
     * @param address   the connection's source address
     */
    public Decision decide(ClientState client, String presented, String presentedEnrollmentToken, boolean legacy,
                           String address) {
        String presentedHash = presented == null || presented.isBlank() ? null : Hashes.sha256Hex(presented);
        EnrollmentToken enrollmentToken = presentedHash == null ? null : validToken(presentedHash);
        if (enrollmentToken == null && presentedEnrollmentToken != null && !presentedEnrollmentToken.isBlank()) {
            enrollmentToken = validToken(Hashes.sha256Hex(presentedEnrollmentToken));
        }
        String enrollment = client == null ? null : client.enrollment();
        String credentialHash = client == null ? null : client.credentialHash();

        if (REJECTED.equals(enrollment)) {
            return new Refuse("This client was rejected by an administrator.");
        }
        if (credentialHash != null) {
            if (presentedHash != null && Secrets.constantTimeEquals(presentedHash, credentialHash) && APPROVED.equals(enrollment)) {
                return new Admit(APPROVED, null, true);
            }
            if (enrollmentToken != null) {
                return new Refuse("This client is already enrolled; a token cannot re-key it: use its credential, or ask an admin to re-enrol it.");
            }
            return new Refuse(presentedHash == null
                    ? "This client must present the credential it was issued (token)."
                    : "The credential this client presented is not valid.");
        }
        if (APPROVED.equals(enrollment)) {
            // Approved, but holds no credential: pinned to its address.
            if (enrollmentToken != null) {
                return new Refuse("This client is already enrolled; a token cannot re-key it: ask an admin to re-enrol it.");
            }
            if (mode != EnrollmentMode.OPEN && !address.equals(client.ipAddress())) {
                return new Refuse("This client was approved at another address (" + client.ipAddress()
                        + "); ask an admin to re-enrol it.");
            }
            return new Admit(APPROVED, legacy ? null : newCredential(), false);
        }
        // A new client, or one still waiting for approval.
        if (enrollmentToken != null) {
            tokens.markUsed(enrollmentToken.id());
            return new Admit(APPROVED, legacy ? null : newCredential(), false);
        }
        if (mode == EnrollmentMode.OPEN) {
            return new Admit(APPROVED, legacy ? null : newCredential(), false);
        }
        if (mode == EnrollmentMode.TOKEN) {
            return new Refuse(presentedHash == null
                    ? "A valid enrolment token is required: start the agent with --token."
                    : "The enrolment token is not valid, has expired or was revoked.");
        }
        return new Admit(PENDING, null, false);
    }

    private EnrollmentToken validToken(String hash) {
        EnrollmentToken token = tokensByHash.get(hash);
        if (token == null || token.revoked()) {
            return null;
        }
        if (token.expiresAt() != null && token.expiresAt().isBefore(Instant.now())) {
            return null;
        }
        return token;
    }

    /** Creates a token; its clear text is in the answer once and never again. Blocking (worker thread). */
    public Map<String, Object> createToken(String name, Duration expiresIn, String createdBy) {
        String clear = Secrets.newToken("cte_");
        Instant expiresAt = expiresIn == null ? null : Instant.now().plus(expiresIn);
        EnrollmentToken token = tokens.create(name, Hashes.sha256Hex(clear), createdBy, expiresAt)
                .toCompletableFuture().join();
        tokensByHash.put(token.tokenHash(), token);
        Map<String, Object> view = view(token);
        view.put("token", clear);
        return view;
    }

    public List<Map<String, Object>> listTokens() {
        return tokens.list().stream().map(EnrollmentService::view).toList();
    }

    public void revokeToken(long id) {
        boolean found = tokens.revoke(id).toCompletableFuture().join();
        if (!found) {
            throw ApiException.notFound("TOKEN_NOT_FOUND", "No enrolment token with id " + id + " exists.");
        }
        tokensByHash.values().removeIf(t -> t.id() == id);
    }

    private static Map<String, Object> view(EnrollmentToken token) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", token.id());
        view.put("name", token.name());
        view.put("created_at", token.createdAt());
        view.put("expires_at", token.expiresAt());
        view.put("created_by", token.createdBy());
        view.put("used_count", token.usedCount());
        view.put("revoked", token.revoked());
        return view;
    }
}
