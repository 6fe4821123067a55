package org.classtop.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
    @TempDir
    Path data;

    @Test
    void isMadeOnceWithItsNamesAndAPrivateKeyAndThenReused() throws Exception {
        SelfSignedCertificate.ensure(data, "10.1.2.3");
        Path cert = SelfSignedCertificate.certFile(data);
        Path key = SelfSignedCertificate.keyFile(data);
        String first = Files.readString(cert);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));

        X509Certificate certificate = PemFiles.readCertificates(cert).get(0);
        List<String> names = certificate.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertTrue(names.containsAll(List.of("localhost", "127.0.0.1", "10.1.2.3")), names.toString());
        assertEquals("EC", certificate.getPublicKey().getAlgorithm());
        PemFiles.requireMatching(PemFiles.readPrivateKey(key), certificate, key, cert);

        SelfSignedCertificate.ensure(data, "10.1.2.3");
        assertEquals(first, Files.readString(cert), "reused, so pinned agents keep connecting");
        try (var files = Files.list(cert.getParent())) {
            assertEquals(2, files.count(), "no temp file left behind");
        }
    }

    @Test
    void aCertificateWithoutItsKeyIsReportedNotReplaced() throws Exception {
        SelfSignedCertificate.ensure(data, "0.0.0.0");
        Files.delete(SelfSignedCertificate.keyFile(data));
        TlsSetupException error = assertThrows(TlsSetupException.class, () -> SelfSignedCertificate.ensure(data, "0.0.0.0"));
        assertTrue(error.getMessage().contains("has no key"), error.getMessage());
    }

    @Test
    void namesTheBindAddressOnlyWhenItIsSpecific() {
        Set<String> any = SelfSignedCertificate.subjectNames("0.0.0.0");
        assertTrue(any.containsAll(List.of("localhost", "127.0.0.1", "::1")), any.toString());
        assertFalse(any.contains("0.0.0.0"));
        assertFalse(SelfSignedCertificate.subjectNames("::").contains("::"));
        assertTrue(SelfSignedCertificate.subjectNames("[fd00::5]").contains("fd00::5"));
        assertTrue(SelfSignedCertificate.subjectNames("lms.school.example").contains("lms.school.example"));
        assertFalse(SelfSignedCertificate.subjectNames("bad_name").contains("bad_name"), "the JDK could not read it");
    }

    @Test
    void theFingerprintIsTheSha256OfTheDerCertificateIn64LowerCaseHexDigits() throws Exception {
        SelfSignedCertificate.ensure(data, "127.0.0.1");
        X509Certificate certificate = PemFiles.readCertificates(SelfSignedCertificate.certFile(data)).get(0);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        assertEquals(expected, Fingerprints.sha256(certificate));
        assertTrue(Fingerprints.sha256(certificate).matches("[0-9a-f]{64}"));
        assertEquals(ServerTls.fromPem(SelfSignedCertificate.certFile(data), SelfSignedCertificate.keyFile(data)).fingerprint(),
                expected);
    }
}
