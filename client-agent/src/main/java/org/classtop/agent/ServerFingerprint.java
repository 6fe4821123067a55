package org.classtop.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 fingerprint of the server's certificate, as the server prints it at start: 64 lower-case hex
 * digits. Parsing also takes the colon-separated upper-case form browsers and {@code openssl} show.
 */
final class ServerFingerprint {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private ServerFingerprint() {
    }

    /** The canonical form of {@code text}; an IllegalArgumentException with a one-line reason otherwise. */
    static String parse(String text) {
        String compact = text == null ? "" : text.trim().replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(compact).matches()) {
            throw new IllegalArgumentException("--server-fingerprint '" + text + "' is not a SHA-256 fingerprint: give "
                    + "the 64 hex digits the server prints at start (colons between pairs are fine).");
        }
        return compact;
    }

    static String of(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot compute a certificate fingerprint: " + e.getMessage(), e);
        }
    }
}
