package org.classtop.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.classtop.core.tls.PemFiles;

/**
 * Certificates for TLS tests: a certificate authority, the server certificates it issues (RSA or EC) and
 * self-signed ones, written as PEM in every key form the server reads, and client contexts that trust them.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("Test CA");
 * TestCertificates.Issued server = ca.issue(TestCertificates.ec(), "localhost", "127.0.0.1");
 * server.writeChain(dir.resolve("cert.pem"));
 * TestCertificates.writePkcs8(dir.resolve("key.pem"), server.keys().getPrivate());
 * }</pre>
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A certificate and its key pair; {@code chain} is the certificate followed by its issuers. */
    public record Issued(KeyPair keys, X509Certificate certificate, X509Certificate... issuers) {
        public X509Certificate[] chain() {
            X509Certificate[] chain = Arrays.copyOf(new X509Certificate[] {certificate}, 1 + issuers.length);
            System.arraycopy(issuers, 0, chain, 1, issuers.length);
            return chain;
        }

        /** The chain as PEM certificates, leaf first. */
        public Path writeChain(Path file) {
            StringBuilder text = new StringBuilder();
            for (X509Certificate c : chain()) {
                text.append(PemFiles.certificatePem(c));
            }
            return write(file, text.toString());
        }
    }

    /** A CA that signs server certificates. */
    public record Authority(Issued self) {
        public X509Certificate certificate() {
            return self.certificate();
        }

        /** A server certificate for {@code names} (DNS names or IP addresses), valid for a day. */
        public Issued issue(KeyPair keys, String... names) {
            return new Issued(keys, sign(keys, "CN=" + names[0], names, false, self), self.certificate());
        }
    }

    public static Authority authority(String name) {
        KeyPair keys = ec();
        return new Authority(new Issued(keys, sign(keys, "CN=" + name, new String[0], true, null)));
    }

    /** A self-signed server certificate for {@code names}. */
    public static Issued selfSigned(KeyPair keys, String... names) {
        return new Issued(keys, sign(keys, "CN=" + names[0], names, false, null));
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    public static Path writePkcs8(Path file, PrivateKey key) {
        return write(file, PemFiles.privateKeyPem(key));
    }

    /**
     * The key in OpenSSL's traditional form: PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY},
     * with the curve inside, as {@code openssl} writes it).
     */
    public static Path writeTraditional(Path file, PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (key.getAlgorithm().equals("EC")) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
                writer.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
            } else {
                writer.writeObject(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, text.toString());
    }

    /** Trusts exactly {@code anchors} (with the JDK's host-name check when used by an HTTP client). */
    public static KeyStore trustStore(X509Certificate... anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts exactly {@code anchors}. */
    public static SSLContext trusting(X509Certificate... anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore(anchors));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(KeyPair keys, String subject, String[] names, boolean ca, Issued issuer) {
        try {
            Instant now = Instant.now();
            X500Name subjectName = new X500Name(subject);
            X500Name issuerName = issuer == null ? subjectName
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subjectName,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (names.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Arrays.stream(names)
                        .map(n -> new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new)));
            }
            PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.keys().getPrivate();
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
