package org.classtop.plugins.managementsync.centre;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: 32 bytes from a CSPRNG, base64url, with a prefix naming their kind ({@code ctl_} an LMS key,
 * {@code ctk_} a client key). Only their SHA-256 is stored: a key of 256 random bits needs no slow hash.
 */
final class Keys {
    static final String LMS_PREFIX = "ctl_";
    static final String CLIENT_PREFIX = "ctk_";
    /** The core's enrolment tokens, which also let an LMS or a client register here. */
    static final String ENROLMENT_PREFIX = "cte_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    static String newLmsKey() {
        return newKey(LMS_PREFIX);
    }

    static String newClientKey() {
        return newKey(CLIENT_PREFIX);
    }

    private static String newKey(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static boolean sameHash(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** The bearer token of an {@code Authorization} header, or null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = h.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
