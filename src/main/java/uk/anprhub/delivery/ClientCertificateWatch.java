package uk.anprhub.delivery;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A target's client-certificate key manager that notes when the target asked for a certificate and the hub had
 * none it accepts. Under TLS 1.3 the client's side of the handshake is over before the server checks the
 * certificate, and many servers then just close the connection: without this note the hub would only see a reset
 * connection and could not say why.
 */
final class ClientCertificateWatch extends X509ExtendedKeyManager {

    private final X509ExtendedKeyManager delegate; // null: no key store configured
    private volatile String missing;

    private ClientCertificateWatch(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    /** Wraps the X.509 key manager among {@code managers} (none: a watch that never offers a certificate). */
    static ClientCertificateWatch of(KeyManager[] managers) {
        return new ClientCertificateWatch(managers == null ? null : Arrays.stream(managers)
                .filter(X509ExtendedKeyManager.class::isInstance).map(X509ExtendedKeyManager.class::cast)
                .findFirst().orElse(null));
    }

    /** Why the last certificate request went unanswered, once; null if it was answered or none came. */
    String takeMissing() {
        String m = missing;
        missing = null;
        return m;
    }

    /** A response came back: whatever was noted did not stop the connection. */
    void answered() {
        missing = null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return note(delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine), issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return note(delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket), issuers);
    }

    private String note(String alias, Principal[] issuers) {
        missing = alias != null ? null : "the target asked for a client certificate and the hub has none"
                + (delegate == null ? " (no key store)" : "")
                + (issuers == null || issuers.length == 0 ? "" : " issued by a CA it accepts: "
                + Arrays.stream(issuers).limit(3).map(Principal::getName).collect(Collectors.joining("; ")));
        return alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null; // a client only
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate == null ? null : delegate.getPrivateKey(alias);
    }
}
