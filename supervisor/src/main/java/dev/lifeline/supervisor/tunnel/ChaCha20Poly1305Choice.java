package dev.lifeline.supervisor.tunnel;

import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.cipher.CipherFactory;

/**
 * The chacha20-poly1305@openssh.com factory the client offers: each cipher on OpenSSL's libcrypto where it loads
 * ({@link LibcryptoChaCha20Poly1305}), else on the JDK ({@link JdkChaCha20Poly1305}), the reason logged once.
 * Decided at the first cipher made, not when the client is built: a home that negotiates AES-GCM never loads JNA or
 * libcrypto (their classes and mappings would cost the idle daemon RSS for nothing).
 */
final class ChaCha20Poly1305Choice {
    static final CipherFactory FACTORY = new OpenSshChaCha20Poly1305.Factory(ChaCha20Poly1305Choice::create,
            JdkChaCha20Poly1305::isSupported);

    private ChaCha20Poly1305Choice() {
    }

    private static Cipher create() {
        // asks Libcrypto, which catches a JNA that cannot load; LibcryptoChaCha20Poly1305's own constants would not
        return Libcrypto.algorithms().isPresent() ? new LibcryptoChaCha20Poly1305() : new JdkChaCha20Poly1305();
    }
}
