package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.common.cipher.CipherFactory;
import org.junit.jupiter.api.BeforeAll;

/** chacha20-poly1305@openssh.com on OpenSSL's libcrypto (what CipherChoice offers where it loads) against OpenSSH's sshd. */
class LibcryptoChaCha20Poly1305IT extends ChaCha20Poly1305OverSshd {
    @BeforeAll
    static void libcryptoLoads() {
        assertThat(Libcrypto.unusable()).as("libcrypto.so.3 (Debian package libssl3) must load here").isEmpty();
    }

    @Override
    CipherFactory factory() {
        return ChaCha20Poly1305Choice.FACTORY;
    }

    @Override
    Class<? extends OpenSshChaCha20Poly1305> implementation() {
        return LibcryptoChaCha20Poly1305.class;
    }
}
