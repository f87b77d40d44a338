package dev.lifeline.supervisor.tunnel;

import org.apache.sshd.common.cipher.CipherInformation;

/**
 * What MINA asks of chacha20-poly1305@openssh.com ({@link OpenSshChaCha20Poly1305}) and of its factory alike, said once
 * for both.
 */
interface ChaCha20Poly1305Sizes extends CipherInformation {
    @Override
    default String getAlgorithm() {
        return OpenSshChaCha20Poly1305.ALGORITHM;
    }

    @Override
    default String getTransformation() {
        return OpenSshChaCha20Poly1305.ALGORITHM;
    }

    @Override
    default int getIVSize() {
        return OpenSshChaCha20Poly1305.IV_BYTES;
    }

    @Override
    default int getAuthenticationTagSize() {
        return OpenSshChaCha20Poly1305.TAG_BYTES;
    }

    @Override
    default int getCipherBlockSize() {
        return OpenSshChaCha20Poly1305.BLOCK_BYTES;
    }

    @Override
    default int getKdfSize() {
        return 2 * OpenSshChaCha20Poly1305.KEY_BYTES;
    }

    @Override
    default int getKeySize() {
        return 8 * 2 * OpenSshChaCha20Poly1305.KEY_BYTES;
    }
}
