package org.classtop.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of {@code --tls-cert}/{@code --tls-key}: a certificate chain (leaf first),
 * and an RSA or EC private key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}) form. Every failure is a {@link TlsSetupException} naming the file.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** The certificates of {@code file} in order; other PEM blocks (e.g. a key in the same file) are skipped. */
    public static List<X509Certificate> readCertificates(Path file) {
        String what = "The TLS certificate " + file;
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(open(file, what))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (TlsSetupException e) {
            throw e;
        } catch (CertificateException | IOException | RuntimeException e) {
            throw new TlsSetupException(what + " is not a PEM certificate (" + brief(e) + ").");
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }
        return chain;
    }

    /** The first private key of {@code file}; an {@code EC PARAMETERS} block before it is skipped. */
    public static PrivateKey readPrivateKey(Path file) {
        String what = "The TLS key " + file;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(open(file, what))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (block instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
                    throw new TlsSetupException(what + " is encrypted; give the key without a passphrase "
                            + "(e.g. openssl pkey -in key.pem -out plain-key.pem) and keep it readable by the server only.");
                }
            }
        } catch (TlsSetupException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(what + " is not a PEM private key (" + brief(e) + ").");
        }
        throw new TlsSetupException(what + " is not a PEM private key.");
    }

    /** Fails unless {@code key} is the private key of {@code certificate} (signs a challenge and verifies it). */
    public static void requireMatching(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new TlsSetupException("The TLS key " + keyFile + " is a " + key.getAlgorithm()
                    + " key; use an RSA or EC key.");
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            PublicKey publicKey = certificate.getPublicKey();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: not matching either
        }
        throw new TlsSetupException("The TLS key " + keyFile + " does not belong to the certificate " + certFile
                + " (the first certificate of the file must be the server's own).");
    }

    /** A certificate as a PEM block. */
    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private key as a PKCS#8 PEM block. */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Reader open(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsSetupException(what + " is a folder, not a PEM file.");
            }
            // Latin-1 never fails to decode: a binary (DER) file is then simply "not PEM".
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(what + " does not exist.");
        } catch (AccessDeniedException e) {
            throw new TlsSetupException(what + " cannot be read (permission denied).");
        } catch (IOException e) {
            throw new TlsSetupException(what + " cannot be read (" + brief(e) + ").");
        }
    }

    private static String brief(Exception e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
