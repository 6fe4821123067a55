package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.classtop.core.tls.PemFiles;
import org.classtop.core.tls.TlsSetupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM forms {@code --tls-cert}/{@code --tls-key} accept, and the sentences for those they do not. */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsRsaAndEcKeysInPkcs8Pkcs1AndSec1Form() throws Exception {
        KeyPair rsa = TestCertificates.rsa();
        KeyPair ec = TestCertificates.ec();
        check(TestCertificates.writePkcs8(dir.resolve("rsa8.pem"), rsa.getPrivate()), rsa, "BEGIN PRIVATE KEY");
        check(TestCertificates.writeTraditional(dir.resolve("rsa1.pem"), rsa.getPrivate()), rsa, "BEGIN RSA PRIVATE KEY");
        check(TestCertificates.writePkcs8(dir.resolve("ec8.pem"), ec.getPrivate()), ec, "BEGIN PRIVATE KEY");
        Path sec1 = check(TestCertificates.writeTraditional(dir.resolve("ec1.pem"), ec.getPrivate()), ec, "BEGIN EC PRIVATE KEY");

        // openssl ecparam -genkey writes the curve's parameters before the key.
        Path withParameters = Files.writeString(dir.resolve("ec-params.pem"), """
                -----BEGIN EC PARAMETERS-----
                BggqhkjOPQMBBw==
                -----END EC PARAMETERS-----
                """ + Files.readString(sec1));
        check(withParameters, ec, "BEGIN EC PARAMETERS");
    }

    private static Path check(Path file, KeyPair expected, String header) throws Exception {
        assertTrue(Files.readString(file).contains(header), file + " is not in the form under test");
        PrivateKey key = PemFiles.readPrivateKey(file);
        X509Certificate certificate = TestCertificates.selfSigned(expected, "localhost").certificate();
        PemFiles.requireMatching(key, certificate, file, file);
        return file;
    }

    @Test
    void readsAChainLeafFirst() {
        TestCertificates.Authority ca = TestCertificates.authority("School CA");
        TestCertificates.Issued leaf = ca.issue(TestCertificates.ec(), "lms.school.example");
        List<X509Certificate> chain = PemFiles.readCertificates(leaf.writeChain(dir.resolve("chain.pem")));
        assertEquals(List.of(leaf.certificate(), ca.certificate()), chain);
    }

    @Test
    void saysWhatIsWrongWithAFileInOneSentence() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertEquals("The TLS certificate " + missing + " does not exist.", message(() -> PemFiles.readCertificates(missing)));
        assertEquals("The TLS key " + missing + " does not exist.", message(() -> PemFiles.readPrivateKey(missing)));

        Path certOnly = TestCertificates.selfSigned(TestCertificates.ec(), "localhost").writeChain(dir.resolve("cert.pem"));
        assertEquals("The TLS key " + certOnly + " is not a PEM private key.", message(() -> PemFiles.readPrivateKey(certOnly)));
        Path keyOnly = TestCertificates.writePkcs8(dir.resolve("key.pem"), TestCertificates.ec().getPrivate());
        assertEquals("The TLS certificate " + keyOnly + " holds no PEM certificate (-----BEGIN CERTIFICATE-----).",
                message(() -> PemFiles.readCertificates(keyOnly)));

        Path der = Files.write(dir.resolve("key.der"), TestCertificates.ec().getPrivate().getEncoded());
        assertEquals("The TLS key " + der + " is not a PEM private key.", message(() -> PemFiles.readPrivateKey(der)));
        Path damaged = Files.writeString(dir.resolve("damaged.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAAA!!!!\n-----END PRIVATE KEY-----\n");
        assertTrue(message(() -> PemFiles.readPrivateKey(damaged)).startsWith("The TLS key " + damaged + " is not a PEM private key"));

        Path encrypted = dir.resolve("encrypted.pem");
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(encrypted))) {
            writer.writeObject(TestCertificates.rsa().getPrivate(),
                    new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
                            .build("secret".toCharArray()));
        }
        assertTrue(message(() -> PemFiles.readPrivateKey(encrypted)).startsWith("The TLS key " + encrypted
                + " is encrypted; give the key without a passphrase"));
    }

    private static String message(org.junit.jupiter.api.function.Executable read) {
        TlsSetupException error = assertThrows(TlsSetupException.class, read);
        assertEquals(null, error.getCause());
        return error.getMessage();
    }
}
