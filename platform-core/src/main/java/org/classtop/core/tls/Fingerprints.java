package org.classtop.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** The SHA-256 fingerprint of a certificate as agents pin it: 64 lower-case hex digits of its DER form. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot compute the certificate's SHA-256 fingerprint: " + e.getMessage(), e);
        }
    }
}
