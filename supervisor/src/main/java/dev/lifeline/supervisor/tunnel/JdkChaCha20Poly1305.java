package dev.lifeline.supervisor.tunnel;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.sshd.common.cipher.CipherFactory;
import org.apache.sshd.common.mac.Poly1305Mac;

/**
 * chacha20-poly1305@openssh.com ({@link OpenSshChaCha20Poly1305}) on the JDK's ChaCha20 stream cipher and MINA's
 * Poly1305: what runs where libcrypto cannot ({@link LibcryptoChaCha20Poly1305}). MINA's own cipher of that name makes
 * its key stream in Java one 64-byte block at a time and XORs it byte by byte; on a 2-core x86 with JDK 17, 32 KiB
 * packets, encrypting alone: MINA's cipher 300–315 MB/s, this one 390–400; the JDK's ChaCha20 alone 540–575, MINA's
 * Poly1305Mac 1270–1320, Bouncy Castle's Poly1305 1070–1140 (hence MINA's).
 *
 * <p>OpenSSH's ChaCha20 is Bernstein's original (64-bit counter, 64-bit nonce); the JDK's is RFC 8439's (32-bit
 * counter, 96-bit nonce). Both lay the same 16 state words out; RFC 8439's nonce covers the counter's high word, which
 * stays 0 inside one SSH packet (a packet is far below 2^32 blocks). So the JDK nonce is 4 zero bytes and the sequence
 * number as a big-endian uint64, and counter 0 or 1 is the same counter as OpenSSH's.
 */
final class JdkChaCha20Poly1305 extends OpenSshChaCha20Poly1305 {
    static final CipherFactory FACTORY = new Factory(JdkChaCha20Poly1305::new, JdkChaCha20Poly1305::isSupported);
    /** One ChaCha20 block: its first half is the Poly1305 key, and the payload starts at block 1. */
    private static final byte[] ZERO_BLOCK = new byte[64];

    private final javax.crypto.Cipher lengthCipher;
    private final javax.crypto.Cipher payloadCipher;
    private final Poly1305Mac poly1305 = new Poly1305Mac();
    private final byte[] polyKeyBlock = new byte[64];
    private final byte[] polyKey = new byte[KEY_BYTES];
    private final byte[] nonce = new byte[12];
    private SecretKeySpec k1;
    private SecretKeySpec k2;

    JdkChaCha20Poly1305() {
        try {
            lengthCipher = javax.crypto.Cipher.getInstance(ALGORITHM);
            payloadCipher = javax.crypto.Cipher.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no ChaCha20 cipher (Java 11 or later has it in SunJCE)", e);
        }
    }

    /** Whether this JVM runs it: every Java 11+ JDK does (SunJCE's ChaCha20). */
    static boolean isSupported() {
        try {
            javax.crypto.Cipher.getInstance(ALGORITHM);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    protected void setKeys(byte[] key) {
        k2 = new SecretKeySpec(key, 0, KEY_BYTES, ALGORITHM);
        k1 = new SecretKeySpec(key, KEY_BYTES, KEY_BYTES, ALGORITHM);
    }

    @Override
    protected void startPacket(long sequence) throws Exception {
        // nonce[0..3] stay 0: the high word of Bernstein's 64-bit block counter
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        lengthCipher.init(javax.crypto.Cipher.ENCRYPT_MODE, k1, new ChaCha20ParameterSpec(nonce, 0));
        payloadCipher.init(javax.crypto.Cipher.ENCRYPT_MODE, k2, new ChaCha20ParameterSpec(nonce, 0));
        // block 0 of K_2's stream: the packet's one-time Poly1305 key; the stream then goes on at block 1
        payloadCipher.update(ZERO_BLOCK, 0, ZERO_BLOCK.length, polyKeyBlock, 0);
        System.arraycopy(polyKeyBlock, 0, polyKey, 0, KEY_BYTES);
        poly1305.init(polyKey);
        Arrays.fill(polyKeyBlock, (byte) 0);
        Arrays.fill(polyKey, (byte) 0);
    }

    @Override
    protected void cryptLength(byte[] data, int offset) throws GeneralSecurityException {
        lengthCipher.update(data, offset, Integer.BYTES, data, offset);
    }

    @Override
    protected void macLength(byte[] data, int offset) throws Exception {
        poly1305.update(data, offset, Integer.BYTES);
    }

    @Override
    protected void seal(byte[] data, int offset, int length) throws Exception {
        payloadCipher.update(data, offset, length, data, offset);
        poly1305.update(data, offset, length);
        poly1305.doFinal(data, offset + length);
    }

    @Override
    protected void tagOf(byte[] data, int offset, int length, byte[] tag) throws Exception {
        poly1305.update(data, offset, length);
        poly1305.doFinal(tag, 0);
    }

    @Override
    protected void open(byte[] data, int offset, int length) throws GeneralSecurityException {
        payloadCipher.update(data, offset, length, data, offset);
    }

    @Override
    public String toString() {
        return NAME + " (JDK ChaCha20)";
    }
}
