package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chacha20-poly1305@openssh.com on OpenSSL's libcrypto: RFC 8439's vectors ({@link ChaCha20Poly1305Vectors}), and the
 * JDK-based implementation's packets for random keys, sequence numbers and lengths. Against OpenSSH itself:
 * LibcryptoChaCha20Poly1305IT. libcrypto.so.3 is on every machine that has OpenSSH (Debian's libssl3, which ci/test.sh
 * lists too): its absence fails the test rather than skips it.
 */
class LibcryptoChaCha20Poly1305Test extends ChaCha20Poly1305Vectors {
    @BeforeAll
    static void libcryptoLoads() {
        assertThat(Libcrypto.unusable()).as("libcrypto.so.3 (Debian package libssl3) must load here").isEmpty();
    }

    @Override
    OpenSshChaCha20Poly1305 newCipher() {
        return new LibcryptoChaCha20Poly1305();
    }

    /**
     * Both implementations, keyed alike, turn the same plaintext into the same packets, and each opens the other's;
     * lengths random up to 3 × 64 KiB (past the native buffer's first size), sequence numbers random and across the
     * 2^32 wrap, a new key now and then (as a rekey makes new ciphers from the current sequence number).
     */
    @Test
    void itMakesTheSamePacketsAsTheJdkImplementation() throws Exception {
        Random random = new Random(0x8439);
        int packets = 0;
        for (int key = 0; key < 12; key++) {
            byte[] k = new byte[64];
            random.nextBytes(k);
            long first = key == 0 ? 0xFFFF_FFF8L : random.nextInt() & 0xFFFF_FFFFL;
            byte[] iv = new byte[8];
            for (int i = 0; i < 8; i++) {
                iv[i] = (byte) (first >>> (56 - 8 * i));
            }
            OpenSshChaCha20Poly1305 nativeOut = cipher(new LibcryptoChaCha20Poly1305(), Cipher.Mode.Encrypt, k, iv);
            OpenSshChaCha20Poly1305 jdkOut = cipher(new JdkChaCha20Poly1305(), Cipher.Mode.Encrypt, k, iv);
            OpenSshChaCha20Poly1305 nativeIn = cipher(new LibcryptoChaCha20Poly1305(), Cipher.Mode.Decrypt, k, iv);
            OpenSshChaCha20Poly1305 jdkIn = cipher(new JdkChaCha20Poly1305(), Cipher.Mode.Decrypt, k, iv);
            for (int p = 0; p < 20; p++) {
                int size = switch (random.nextInt(4)) {
                    case 0 -> 8 * (1 + random.nextInt(16));
                    case 1 -> 32_768 + 8 * random.nextInt(64);
                    default -> 8 * (1 + random.nextInt(3 * 64 * 1024 / 8));
                };
                byte[] plain = new byte[size];
                random.nextBytes(plain);
                byte[] a = packet(plain);
                byte[] b = packet(plain);
                nativeOut.updateWithAAD(a, 0, 4, size);
                jdkOut.updateWithAAD(b, 0, 4, size);
                assertThat(a).as("packet %d (%d bytes) of key %d", p, size, key).isEqualTo(b);
                assertThat(Arrays.copyOfRange(a, 4, 4 + size)).as("encrypted").isNotEqualTo(plain);
                nativeIn.updateAAD(b, 0, 4);
                nativeIn.update(b, 4, size);
                jdkIn.updateAAD(a, 0, 4);
                jdkIn.update(a, 4, size);
                assertThat(Arrays.copyOfRange(a, 4, 4 + size)).as("the JDK one opens libcrypto's").isEqualTo(plain);
                assertThat(Arrays.copyOfRange(b, 4, 4 + size)).as("libcrypto's opens the JDK one's").isEqualTo(plain);
                packets++;
            }
        }
        assertThat(packets).isEqualTo(240);
    }

    @Test
    void cipherChoiceTakesItWhereLibcryptoLoads() {
        assertThat(ChaCha20Poly1305Choice.FACTORY.create()).isInstanceOf(LibcryptoChaCha20Poly1305.class);
        assertThat(CipherChoice.order(List.of("chacha20-poly1305@openssh.com"))).containsExactly(ChaCha20Poly1305Choice.FACTORY);
        assertThat(ChaCha20Poly1305Choice.FACTORY.getName()).isEqualTo("chacha20-poly1305@openssh.com");
        assertThat(ChaCha20Poly1305Choice.FACTORY.getAuthenticationTagSize()).isEqualTo(16);
    }

    private static OpenSshChaCha20Poly1305 cipher(OpenSshChaCha20Poly1305 c, Cipher.Mode mode, byte[] key, byte[] iv) throws Exception {
        c.init(mode, key, iv);
        return c;
    }
}
