package org.classtop.agent;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which server certificate the agent accepts (SPEC section 8), in this order:
 * <ol>
 *   <li>{@code --server-fingerprint}: exactly that certificate, any issuer, no host-name check;</li>
 *   <li>a fingerprint pinned earlier ({@code server_fingerprint} in {@code agent.json}): exactly that one;</li>
 *   <li>a certificate this machine's trust store trusts, host name checked: accepted, not pinned
 *       (CA certificates are renewed often);</li>
 *   <li>any other (self-signed) one only while the agent holds no credential, i.e. at enrolment: trusted on
 *       first use and pinned from then on.</li>
 * </ol>
 * Every accepted handshake records {@code server_tls}, after which the credential never goes over plain ws://.
 * A refusal is kept as one readable sentence for the connection supervisor to log.
 */
final class ServerTrust extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTrust.class);

    private final X509ExtendedTrustManager system;
    private final String flagPin;
    private final AgentIdentityStore identities;
    private final AtomicReference<String> refusal = new AtomicReference<>();
    /** False for {@link #forAnotherServer()}: records nothing, pins nothing. */
    private final boolean recording;

    /**
     * @param system      the machine's trust, e.g. {@link #systemTrust(KeyStore)}
     * @param flagPin     the fingerprint of {@code --server-fingerprint}, or null
     * @param identities  {@code agent.json}: the credential, the stored pin and {@code server_tls}
     */
    ServerTrust(X509ExtendedTrustManager system, String flagPin, AgentIdentityStore identities) {
        this(system, flagPin, identities, true);
    }

    private ServerTrust(X509ExtendedTrustManager system, String flagPin, AgentIdentityStore identities, boolean recording) {
        this.system = system;
        this.flagPin = flagPin;
        this.identities = identities;
        this.recording = recording;
    }

    /**
     * The same trust for another server the agent talks to (the management server in {@code --connection-mode
     * both}): a certificate the machine's (or the agent's given) trust store vouches for, host name checked, or one
     * whose fingerprint is {@code --server-fingerprint} or the pinned one (a centre sharing the LMS's certificate).
     * It never trusts on first use nor writes {@code agent.json}: that pin is the LMS's.
     */
    ServerTrust forAnotherServer() {
        return new ServerTrust(system, flagPin, identities, false);
    }

    /** The JDK's trust manager over {@code trusted}, or over its default trust store when null. */
    static X509ExtendedTrustManager systemTrust(KeyStore trusted) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("The JDK offers no X509ExtendedTrustManager.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the trust store: " + e.getMessage(), e);
        }
    }

    /** A client context that trusts through this object. */
    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** TLS 1.2+ and the HTTPS host-name check for certificates the machine's trust store vouches for. */
    static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** Why the last handshake was refused, once; empty when it was not refused by this object. */
    Optional<String> takeRefusal() {
        return Optional.ofNullable(refusal.getAndSet(null));
    }

    /** Why the agent must not connect to {@code config}'s URL at all: a credential over plain ws:// after TLS. */
    Optional<String> plainConnectionRefusal(AgentConfig config) {
        if (config.usesTls() || !identities.serverSeenWithTls() || identities.identity().issuedCredential().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("this agent has connected to the server over TLS before; it will not send its credential "
                + "over plain ws://. Use https://" + config.serverUrl().getHost() + ":<TLS port> in --server (remove "
                + AgentIdentityStore.SERVER_TLS + " from " + identities.file() + " only if the server no longer offers TLS).");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, () -> system.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, () -> system.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, () -> system.checkServerTrusted(chain, authType));
    }

    private interface SystemCheck {
        void run() throws CertificateException;
    }

    private void check(X509Certificate[] chain, SystemCheck systemCheck) throws CertificateException {
        refusal.set(null);
        if (chain == null || chain.length == 0) {
            throw refuse("the server sent no certificate.");
        }
        String presented = ServerFingerprint.of(chain[0]);
        if (!recording) {
            if (presented.equals(flagPin) || presented.equals(identities.serverFingerprint())) {
                return;
            }
            try {
                systemCheck.run();
                return;
            } catch (CertificateException notTrusted) {
                throw refuse("the management server's TLS certificate (SHA-256 " + presented + ") is not trusted by this "
                        + "machine (" + brief(notTrusted) + "). Add its certificate (or its CA) to the machine's trust "
                        + "store, or give it the certificate pinned for the server.");
            }
        }
        if (flagPin != null) {
            if (!flagPin.equals(presented)) {
                throw refuse("the server's TLS certificate has the SHA-256 fingerprint " + presented
                        + ", but --server-fingerprint pins " + flagPin + ". Not connecting: this may be another machine "
                        + "posing as the server. If the server's certificate was replaced on purpose (the server prints "
                        + "its fingerprint at start; GET /api/system/status shows it), run the agent with "
                        + "--server-fingerprint " + presented + ".");
            }
            remember(presented);
            return;
        }
        String stored = identities.serverFingerprint();
        if (stored != null) {
            if (!stored.equals(presented)) {
                throw refuse("the server's TLS certificate has changed: it now has the SHA-256 fingerprint " + presented
                        + ", but this agent pinned " + stored + " (" + AgentIdentityStore.SERVER_FINGERPRINT + " in "
                        + identities.file() + "). Not connecting: this may be another machine posing as the server. "
                        + "If the server's certificate was replaced on purpose (the server prints its fingerprint at "
                        + "start; GET /api/system/status shows it), run the agent with --server-fingerprint " + presented
                        + ", or remove " + AgentIdentityStore.SERVER_FINGERPRINT + " from agent.json after checking.");
            }
            remember(null);
            return;
        }
        try {
            systemCheck.run();
            remember(null);
            return;
        } catch (CertificateException notTrusted) {
            if (identities.identity().issuedCredential().isPresent()) {
                throw refuse("the server's TLS certificate (SHA-256 " + presented + ") is not trusted by this machine ("
                        + brief(notTrusted) + "), and an enrolled agent does not trust a new certificate on first use. "
                        + "If it is the server's certificate (the server prints its fingerprint at start; "
                        + "GET /api/system/status shows it), run the agent with --server-fingerprint " + presented + ".");
            }
        }
        LOG.warn("Trusting the server's TLS certificate on first use: SHA-256 {}. It is pinned in {} from now on; "
                + "compare it with the fingerprint the server printed at start.", presented, identities.file());
        remember(presented);
    }

    private void remember(String pin) {
        try {
            identities.rememberTls(pin);
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot record the server's TLS certificate in {}: {}", identities.file(), e.getMessage());
        }
    }

    private CertificateException refuse(String sentence) {
        refusal.set(sentence);
        return new CertificateException(sentence);
    }

    private static String brief(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("The agent accepts no TLS clients.");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("The agent accepts no TLS clients.");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("The agent accepts no TLS clients.");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return system.getAcceptedIssuers();
    }
}
