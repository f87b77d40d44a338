package dev.lifeline.supervisor.tunnel;

import org.apache.sshd.common.cipher.CipherFactory;

/** The JDK-based chacha20-poly1305@openssh.com (the fallback where libcrypto cannot load) against OpenSSH's sshd. */
class JdkChaCha20Poly1305IT extends ChaCha20Poly1305OverSshd {
    @Override
    CipherFactory factory() {
        return JdkChaCha20Poly1305.FACTORY;
    }

    @Override
    Class<? extends OpenSshChaCha20Poly1305> implementation() {
        return JdkChaCha20Poly1305.class;
    }
}
