package org.classtop.core.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.classtop.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS identity (SPEC section 8): the SSLContext the HTTPS listener serves, the leaf certificate
 * and its SHA-256 fingerprint, which agents pin. {@link #OFF} when the server speaks plain HTTP.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** TLS 1.2 and 1.3 only; the JDK's defaults for everything else. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final ServerTls OFF = new ServerTls(null, null, null);

    private final SSLContext context;
    private final List<X509Certificate> chain;
    private final String fingerprint;

    private ServerTls(SSLContext context, List<X509Certificate> chain, String fingerprint) {
        this.context = context;
        this.chain = chain;
        this.fingerprint = fingerprint;
    }

    /** Reads (or for {@code --tls self-signed} makes once) the certificate and key; {@link #OFF} without TLS. */
    public static ServerTls load(ServerConfig config) {
        ServerConfig.Tls tls = config.tls();
        if (tls == null || !tls.enabled()) {
            return OFF;
        }
        Path certFile = tls.certFile();
        Path keyFile = tls.keyFile();
        if (tls.selfSigned()) {
            SelfSignedCertificate.ensure(config.dataDir(), config.bind());
            certFile = SelfSignedCertificate.certFile(config.dataDir());
            keyFile = SelfSignedCertificate.keyFile(config.dataDir());
        }
        return fromPem(certFile, keyFile);
    }

    /** Serves the chain of {@code certFile} (leaf first) with the key of {@code keyFile}. */
    public static ServerTls fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = PemFiles.readCertificates(certFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        X509Certificate leaf = chain.get(0);
        PemFiles.requireMatching(key, leaf, keyFile, certFile);
        Instant now = Instant.now();
        if (now.isAfter(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant())) {
            LOG.warn("The TLS certificate {} is valid only from {} to {}: clients that check it will refuse it",
                    certFile, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ServerTls(context, List.copyOf(chain), Fingerprints.sha256(leaf));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsSetupException("Cannot serve TLS with " + certFile + " and " + keyFile + ": " + e.getMessage());
        }
    }

    public boolean enabled() {
        return context != null;
    }

    /** The context for the HTTPS listener; only when {@link #enabled()}. */
    public SSLContext context() {
        return context;
    }

    /** The server's own certificate; null when off. */
    public X509Certificate certificate() {
        return chain == null ? null : chain.get(0);
    }

    /** 64 lower-case hex digits; null when off. */
    public String fingerprint() {
        return fingerprint;
    }

    /** {@code {"enabled":true,"fingerprint_sha256":"..."}} for {@code GET /api/system/status}. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("enabled", enabled());
        if (enabled()) {
            status.put("fingerprint_sha256", fingerprint);
        }
        return status;
    }
}
