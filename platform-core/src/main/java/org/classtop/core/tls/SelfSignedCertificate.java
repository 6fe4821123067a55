package org.classtop.core.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --tls self-signed}: an EC P-256 certificate valid for 10 years, made once into {@code <data>/tls/}
 * ({@code server.crt}, and {@code server.key} readable by the owner only) and reused on every later start,
 * so agents that pinned its fingerprint keep connecting. Names: localhost, 127.0.0.1, ::1, the machine's
 * host name and the bind address when it is a specific one.
 */
public final class SelfSignedCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    static final Duration VALIDITY = Duration.ofDays(3653);
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** What the JDK accepts as a DNS name in a certificate (an underscore would make it unreadable). */
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private SelfSignedCertificate() {
    }

    public static Path certFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("server.crt");
    }

    public static Path keyFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("server.key");
    }

    /**
     * Makes the certificate unless it exists. The key is written first and the certificate last, so a
     * start interrupted in between makes a new pair next time instead of finding a certificate without key.
     */
    public static void ensure(Path dataDir, String bind) {
        Path cert = certFile(dataDir);
        Path key = keyFile(dataDir);
        if (Files.exists(cert)) {
            if (!Files.exists(key)) {
                throw new TlsSetupException("The self-signed certificate " + cert + " has no key " + key
                        + "; remove " + cert.getParent() + " to make a new certificate (agents must then be pinned again).");
            }
            return;
        }
        Set<String> names = subjectNames(bind);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = build(pair, names, Instant.now());
            Files.createDirectories(cert.getParent());
            write(key, PemFiles.privateKeyPem(pair.getPrivate()), true);
            write(cert, PemFiles.certificatePem(certificate), false);
            LOG.info("Made a self-signed TLS certificate for {} in {} (valid until {})", names, cert,
                    certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate());
        } catch (IOException e) {
            throw new TlsSetupException("Cannot write the self-signed certificate to " + cert.getParent() + " ("
                    + e.getMessage() + ").");
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new TlsSetupException("Cannot make a self-signed certificate: " + e.getMessage() + ".");
        }
    }

    /** localhost, 127.0.0.1, ::1, the host name and a specific bind address. */
    static Set<String> subjectNames(String bind) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && DNS_NAME.matcher(host).matches()) {
                names.add(host);
            }
        } catch (IOException | SecurityException e) {
            LOG.debug("No host name for the self-signed certificate: {}", e.toString());
        }
        String address = bind == null ? "" : bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        boolean specific = !address.isBlank() && !address.equals("0.0.0.0") && !address.equals("::");
        if (specific && (IP_LITERAL.matcher(address).matches() || DNS_NAME.matcher(address).matches())) {
            names.add(address);
        }
        return names;
    }

    static X509Certificate build(KeyPair pair, Set<String> names, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        String first = names.stream().filter(n -> !IP_LITERAL.matcher(n).matches() && !n.equals("localhost"))
                .findFirst().orElse("localhost");
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "ClassTop")
                .addRDN(BCStyle.CN, first)
                .build();
        BigInteger serial = new BigInteger(127, new SecureRandom());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        GeneralName[] altNames = names.stream()
                .map(n -> new GeneralName(IP_LITERAL.matcher(n).matches() ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames))
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    /** Writes beside the target and moves it in; {@code ownerOnly} files never exist with wider permissions. */
    private static void write(Path target, String text, boolean ownerOnly) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not POSIX (Windows): the data folder's ACL applies
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            org.classtop.core.AtomicReplace.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
