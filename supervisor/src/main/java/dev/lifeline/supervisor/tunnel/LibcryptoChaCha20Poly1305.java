package dev.lifeline.supervisor.tunnel;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * chacha20-poly1305@openssh.com ({@link OpenSshChaCha20Poly1305}) with ChaCha20 and Poly1305 in OpenSSL's libcrypto
 * ({@link Libcrypto}), as OpenSSH on Debian runs it: libcrypto has vector code for both (openssl/openssl
 * crypto/chacha/asm/chacha-x86_64.pl, chacha-armv8.pl and chacha-armv4.pl with NEON, the same for Poly1305 under
 * crypto/poly1305/asm), where JDK 17 runs them in plain Java. Encrypting 32 KiB packets in a loop (2-core x86, JDK 17,
 * load 3–5): this class 2.4–2.6 GB/s per CPU-second, the JDK one 0.35–0.37; with libcrypto's ChaCha20 but MINA's
 * Poly1305 0.89–0.95, hence libcrypto's Poly1305 (EVP_MAC "POLY1305") too. Below about 512-byte packets the dozen
 * calls a packet costs (1.9 µs) make it slower than the JDK one (128 bytes: 71 against 144 MB/s); bulk data travels
 * in 32 KiB packets.
 *
 * <p>Each packet is copied once into a native buffer, encrypted (or authenticated, then decrypted) and MACed there,
 * and copied back: JNA pins nothing, and a copy costs far less than the cipher.
 *
 * <p>OpenSSL's EVP_chacha20 IV is 16 bytes: the block counter, 4 bytes little-endian, then the nonce (openssl/openssl
 * doc/man3/EVP_chacha20.pod: at commit 1e8f555 it reads it as a 64-bit counter and a 64-bit nonce, OpenSSL 3.0's
 * manual as 32 and 96 bits; with counter 0 and OpenSSH's 64-bit nonce in the last 8 bytes both give the same state
 * words). So the IV is
 * 8 zero bytes then the sequence number as a big-endian uint64, and the key stream starts at block 0; its first 64
 * bytes make the Poly1305 key and leave the stream at block 1 for the payload.
 */
final class LibcryptoChaCha20Poly1305 extends OpenSshChaCha20Poly1305 {
    private static final int IV = 0;
    private static final int IV_LENGTH = 16;
    /** EVP_EncryptUpdate's int written length. */
    private static final int OUT_LENGTH = 16;
    /** EVP_MAC_final's size_t written length. */
    private static final int MAC_LENGTH = 24;
    private static final int LENGTH_FIELD = 32;
    private static final int TAG = 48;
    /** 64 bytes: the key material at init, then each packet's block 0 (its first 32 bytes the Poly1305 key). */
    private static final int BLOCK = 64;
    private static final int SCRATCH = 128;
    private static final NativeLong POLY_KEY = new NativeLong(KEY_BYTES);
    private static final NativeLong TAG_SIZE = new NativeLong(TAG_BYTES);
    private static final NativeLong FOUR = new NativeLong(Integer.BYTES);

    private final Libcrypto.Algorithms algorithms;
    private final Contexts contexts;
    private final Memory scratch = new Memory(SCRATCH);
    private final Pointer iv = scratch.share(IV, IV_LENGTH);
    private final Pointer outLength = scratch.share(OUT_LENGTH, 8);
    private final Pointer macLength = scratch.share(MAC_LENGTH, 8);
    private final Pointer lengthField = scratch.share(LENGTH_FIELD, 4);
    private final Pointer tagOut = scratch.share(TAG, TAG_BYTES);
    private final Pointer block = scratch.share(BLOCK, 64);
    private final byte[] ivBytes = new byte[IV_LENGTH];
    /** The payload being handled (its tag goes to the scratch block); grown for a longer packet. */
    private Memory data = new Memory(64 * 1024 + TAG_BYTES);

    /** Only where {@link Libcrypto#algorithms} has them: this class's constants are JNA's, which may not load. */
    LibcryptoChaCha20Poly1305() {
        algorithms = Libcrypto.algorithms().orElseThrow(() -> new IllegalStateException(NAME + ": libcrypto is not usable here: "
                + Libcrypto.unusable().orElse("?")));
        contexts = Contexts.make(this);
    }

    @Override
    protected void setKeys(byte[] key) {
        block.write(0, key, 0, 2 * KEY_BYTES);
        try {
            check(Libcrypto.EVP_EncryptInit_ex(contexts.payload, algorithms.chacha20(), null, block, null), "EVP_EncryptInit_ex (K_2)");
            check(Libcrypto.EVP_EncryptInit_ex(contexts.length, algorithms.chacha20(), null, block.share(KEY_BYTES), null),
                    "EVP_EncryptInit_ex (K_1)");
        } finally {
            block.clear(64);
        }
    }

    @Override
    protected void startPacket(long sequence) {
        for (int i = 0; i < 8; i++) {
            ivBytes[8 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        iv.write(0, ivBytes, 0, IV_LENGTH);
        check(Libcrypto.EVP_EncryptInit_ex(contexts.length, null, null, null, iv), "EVP_EncryptInit_ex (K_1 nonce)");
        check(Libcrypto.EVP_EncryptInit_ex(contexts.payload, null, null, null, iv), "EVP_EncryptInit_ex (K_2 nonce)");
        block.clear(64);
        try {
            check(Libcrypto.EVP_EncryptUpdate(contexts.payload, block, outLength, block, 64), "EVP_EncryptUpdate (block 0)");
            check(Libcrypto.EVP_MAC_init(contexts.mac, block, POLY_KEY, null), "EVP_MAC_init");
        } finally {
            block.clear(64);
        }
    }

    @Override
    protected void cryptLength(byte[] data, int offset) {
        lengthField.write(0, data, offset, Integer.BYTES);
        check(Libcrypto.EVP_EncryptUpdate(contexts.length, lengthField, outLength, lengthField, Integer.BYTES), "EVP_EncryptUpdate (length)");
        lengthField.read(0, data, offset, Integer.BYTES);
    }

    @Override
    protected void macLength(byte[] data, int offset) {
        lengthField.write(0, data, offset, Integer.BYTES);
        check(Libcrypto.EVP_MAC_update(contexts.mac, lengthField, FOUR), "EVP_MAC_update (length)");
    }

    @Override
    protected void seal(byte[] input, int offset, int length) {
        Memory buffer = buffer(length);
        buffer.write(0, input, offset, length);
        check(Libcrypto.EVP_EncryptUpdate(contexts.payload, buffer, outLength, buffer, length), "EVP_EncryptUpdate");
        finishTag(buffer, length);
        buffer.read(0, input, offset, length);
        tagOut.read(0, input, offset + length, TAG_BYTES);
    }

    @Override
    protected void tagOf(byte[] input, int offset, int length, byte[] tag) {
        Memory buffer = buffer(length);
        buffer.write(0, input, offset, length);
        finishTag(buffer, length);
        tagOut.read(0, tag, 0, TAG_BYTES);
    }

    /** The packet's Poly1305 over the {@code length} bytes in {@code buffer}, after the length field: into tagOut. */
    private void finishTag(Memory buffer, int length) {
        check(Libcrypto.EVP_MAC_update(contexts.mac, buffer, new NativeLong(length)), "EVP_MAC_update");
        check(Libcrypto.EVP_MAC_final(contexts.mac, tagOut, macLength, TAG_SIZE), "EVP_MAC_final");
    }

    /** The payload is in the native buffer already, where {@link #tagOf} put it. */
    @Override
    protected void open(byte[] output, int offset, int length) {
        check(Libcrypto.EVP_EncryptUpdate(contexts.payload, data, outLength, data, length), "EVP_EncryptUpdate");
        data.read(0, output, offset, length);
    }

    private Memory buffer(int length) {
        if (data.size() < length) {
            data.close();
            data = new Memory(Integer.highestOneBit(length) * 2L);
        }
        return data;
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalStateException(NAME + ": libcrypto's " + call + " failed");
        }
    }

    @Override
    public String toString() {
        return NAME + " (OpenSSL libcrypto)";
    }

    /**
     * The OpenSSL contexts (they hold the keys), freed (and so cleansed by OpenSSL) once their cipher is unreachable:
     * MINA drops a cipher pair at every rekey without closing it.
     */
    private record Contexts(Pointer length, Pointer payload, Pointer mac) implements Runnable {
        static Contexts make(Object owner) {
            Contexts c = new Contexts(Libcrypto.EVP_CIPHER_CTX_new(), Libcrypto.EVP_CIPHER_CTX_new(),
                    Libcrypto.EVP_MAC_CTX_new(Libcrypto.algorithms().orElseThrow().poly1305()));
            // JNA's own cleaner thread (it frees Memory the same way), not one more thread of ours
            com.sun.jna.internal.Cleaner.getCleaner().register(owner, c);
            if (c.length == null || c.payload == null || c.mac == null) {
                throw new IllegalStateException(NAME + ": libcrypto could not allocate a context (out of memory?)");
            }
            return c;
        }

        @Override
        public void run() {
            if (length != null) {
                Libcrypto.EVP_CIPHER_CTX_free(length);
            }
            if (payload != null) {
                Libcrypto.EVP_CIPHER_CTX_free(payload);
            }
            if (mac != null) {
                Libcrypto.EVP_MAC_CTX_free(mac);
            }
        }
    }
}
