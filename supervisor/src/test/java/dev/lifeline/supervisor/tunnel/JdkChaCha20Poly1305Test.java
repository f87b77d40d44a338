package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.apache.sshd.common.cipher.ChaCha20Cipher;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.Test;

/**
 * chacha20-poly1305@openssh.com on the JDK's ChaCha20: RFC 8439's vectors ({@link ChaCha20Poly1305Vectors}), and MINA's
 * own implementation over many packets. Against OpenSSH itself: JdkChaCha20Poly1305IT.
 */
class JdkChaCha20Poly1305Test extends ChaCha20Poly1305Vectors {
    @Override
    OpenSshChaCha20Poly1305 newCipher() {
        return new JdkChaCha20Poly1305();
    }

    /** The same packets, with lengths on and off 64-byte block and 16-byte Poly1305 boundaries, as MINA's cipher. */
    @Test
    void packetAfterPacketItMatchesMinasImplementation() throws Exception {
        Random random = new Random(17);
        byte[] key = new byte[64];
        random.nextBytes(key);
        byte[] iv = HEX.parseHex("00000000fffffff0"); // the sequence number wraps from 2^32 − 1 to 0 on the way
        JdkChaCha20Poly1305 ours = new JdkChaCha20Poly1305();
        ChaCha20Cipher minas = new ChaCha20Cipher();
        JdkChaCha20Poly1305 back = new JdkChaCha20Poly1305();
        ours.init(Cipher.Mode.Encrypt, key, iv);
        minas.init(Cipher.Mode.Encrypt, key, iv);
        back.init(Cipher.Mode.Decrypt, key, iv);
        int[] sizes = {8, 16, 56, 60, 64, 120, 128, 1000, 32768, 32768 + 56, 35000, 4096, 24, 40, 64 * 1024};
        for (int round = 0; round < 3; round++) {
            for (int size : sizes) {
                byte[] plain = new byte[size];
                random.nextBytes(plain);
                byte[] a = packet(plain);
                byte[] b = packet(plain);
                ours.updateWithAAD(a, 0, 4, size);
                minas.updateWithAAD(b, 0, 4, size);
                assertThat(a).as("packet of %d bytes, round %d", size, round).isEqualTo(b);
                back.updateAAD(a, 0, 4);
                back.update(a, 4, size);
                assertThat(Arrays.copyOfRange(a, 4, 4 + size)).isEqualTo(plain);
            }
        }
    }

    @Test
    void theFactoryNamesItAsOpenSshDoesAndTellsMinaItIsAnAeadCipher() {
        assertThat(JdkChaCha20Poly1305.FACTORY.getName()).isEqualTo("chacha20-poly1305@openssh.com");
        assertThat(JdkChaCha20Poly1305.FACTORY.getAuthenticationTagSize()).isEqualTo(16);
        assertThat(JdkChaCha20Poly1305.FACTORY.create()).isInstanceOf(JdkChaCha20Poly1305.class);
    }
}
