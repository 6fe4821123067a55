package org.classtop.core.tls;

/**
 * Why the server cannot serve TLS, as one readable sentence naming the file. It carries no cause on
 * purpose: {@code Main} prints the innermost cause's message, and that sentence is the one to read.
 */
public final class TlsSetupException extends RuntimeException {
    public TlsSetupException(String sentence) {
        super(sentence);
    }
}
