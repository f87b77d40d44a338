package dev.lifeline.supervisor.tunnel;

import java.util.Objects;
import java.util.function.Supplier;

import javax.crypto.AEADBadTagException;

import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.cipher.CipherFactory;

/**
 * chacha20-poly1305@openssh.com's packet construction, whatever runs the ChaCha20 key stream and Poly1305 under it
 * ({@link JdkChaCha20Poly1305}: the JDK and MINA in Java; {@link LibcryptoChaCha20Poly1305}: OpenSSL's libcrypto).
 *
 * <p>From OpenSSH's PROTOCOL.chacha20poly1305 (openssh-portable, rev 1.4 2018/04/10): the 512 bits of key material
 * are K_2 (first 256 bits) then K_1 (second 256 bits). K_1, with the packet sequence number as the 64-bit nonce and
 * block counter 0, encrypts the 4-byte packet length. K_2 with the same nonce gives the Poly1305 key (the first 32
 * bytes of block 0) and, from block 1 on, the payload's key stream. The tag is Poly1305 over the encrypted length
 * followed by the encrypted payload, checked (in constant time) before anything is decrypted.
 *
 * <p>Not thread-safe, one per direction (as MINA uses every {@link Cipher}).
 */
abstract class OpenSshChaCha20Poly1305 implements Cipher, ChaCha20Poly1305Sizes {
    static final String NAME = "chacha20-poly1305@openssh.com";
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    /** MINA keys its sequence-number IV handling on this prefix (AbstractSession.MessageCodingSettings). */
    static final String ALGORITHM = "ChaCha20";
    /** The IV is the 64-bit sequence number. */
    static final int IV_BYTES = 8;
    /** What MINA pads packets to, as for its own cipher of this name (BuiltinCiphers); it also makes MINA rekey every 1 GB. */
    static final int BLOCK_BYTES = 8;

    private final byte[] tag = new byte[TAG_BYTES];
    private Mode mode;
    /**
     * What may come next. Enforced for libcrypto's sake: its Poly1305 wipes its state, function pointers included, when
     * it finishes a tag, so a payload without its length first would crash the JVM, not throw; and a packet that failed
     * part way must not be retried under the same nonce (the JDK refuses that itself, libcrypto would not).
     */
    private State state = State.UNKEYED;
    /** The sequence number of the packet being handled; MINA wraps it at 2^32 as OpenSSH does. */
    private long sequence;

    /** K_2 is {@code key[0..32)}, K_1 {@code key[32..64)}; an implementation keeps no other copy on the Java heap. */
    protected abstract void setKeys(byte[] key) throws Exception;

    /**
     * Sets both key streams to the packet's nonce: K_1's at block 0, K_2's past block 0, whose first 32 bytes key a
     * fresh Poly1305.
     */
    protected abstract void startPacket(long sequence) throws Exception;

    /** XORs the 4-byte length in place with K_1's stream. */
    protected abstract void cryptLength(byte[] data, int offset) throws Exception;

    /** Feeds the (encrypted) length to the Poly1305 started by {@link #startPacket}. */
    protected abstract void macLength(byte[] data, int offset) throws Exception;

    /** Encrypts the payload in place with K_2's stream, then writes the tag over length and payload right after it. */
    protected abstract void seal(byte[] data, int offset, int length) throws Exception;

    /** The tag over length and the still encrypted payload, into {@code tag}; decrypts nothing. */
    protected abstract void tagOf(byte[] data, int offset, int length, byte[] tag) throws Exception;

    /** Decrypts the payload in place, after {@link #tagOf} on the same bytes found the tag good. */
    protected abstract void open(byte[] data, int offset, int length) throws Exception;

    /**
     * @param key 64 bytes, K_2 then K_1
     * @param iv  the first packet's sequence number as a big-endian uint64 (MINA writes it there for any cipher whose
     *            algorithm starts with "ChaCha")
     */
    @Override
    public void init(Mode mode, byte[] key, byte[] iv) throws Exception {
        if (key.length < 2 * KEY_BYTES || iv.length < IV_BYTES) {
            throw new IllegalArgumentException(NAME + " needs 64 bytes of key and an 8-byte sequence number");
        }
        long s = 0;
        for (int i = 0; i < IV_BYTES; i++) {
            s = (s << 8) | (iv[i] & 0xff);
        }
        if ((s >>> 32) != 0) {
            throw new IllegalArgumentException(NAME + ": the sequence number is a uint32, got " + Long.toUnsignedString(s));
        }
        setKeys(key);
        this.mode = mode;
        this.sequence = s;
        this.state = State.AWAITING_LENGTH;
    }

    /** The packet length: encrypted or decrypted in place with K_1; the MAC covers its encrypted form. */
    @Override
    public void updateAAD(byte[] data, int offset, int length) throws Exception {
        expect(State.AWAITING_LENGTH, "a packet length");
        if (length != Integer.BYTES) {
            throw new IllegalArgumentException(NAME + ": the associated data is the 4-byte packet length, got " + length + " bytes");
        }
        state = State.FAILED; // until the length is done: an exception part way leaves this cipher unusable
        Objects.checkFromIndexSize(offset, Integer.BYTES, data.length);
        startPacket(sequence);
        if (mode == Mode.Decrypt) {
            macLength(data, offset);
        }
        cryptLength(data, offset);
        if (mode == Mode.Encrypt) {
            macLength(data, offset);
        }
        state = State.AWAITING_PAYLOAD;
    }

    /**
     * The payload, in place, with its 16-byte tag right after it: written when encrypting, checked (before
     * decrypting) when decrypting.
     */
    @Override
    public void update(byte[] input, int inputOffset, int inputLen) throws Exception {
        expect(State.AWAITING_PAYLOAD, "a payload");
        state = State.FAILED; // until the packet is done
        // checked here, before native code sees the offsets: the tag follows the payload
        Objects.checkFromIndexSize(inputOffset, inputLen, input.length);
        Objects.checkFromIndexSize(inputOffset + inputLen, TAG_BYTES, input.length);
        if (mode == Mode.Decrypt) {
            tagOf(input, inputOffset, inputLen, tag);
            if (!tagMatches(input, inputOffset + inputLen)) {
                throw new AEADBadTagException(NAME + ": packet " + sequence + " failed its authentication tag");
            }
            open(input, inputOffset, inputLen);
        } else {
            seal(input, inputOffset, inputLen);
        }
        sequence = (sequence + 1) & 0xFFFF_FFFFL;
        state = State.AWAITING_LENGTH;
    }

    private void expect(State wanted, String what) {
        if (state != wanted) {
            throw new IllegalStateException(NAME + ": " + what + " " + switch (state) {
                case UNKEYED -> "before init";
                case FAILED -> "after a failed packet (its session is over)";
                case AWAITING_LENGTH -> "without its packet length first (updateAAD)";
                case AWAITING_PAYLOAD -> "where the last packet's payload was due";
            });
        }
    }

    private enum State {
        UNKEYED, AWAITING_LENGTH, AWAITING_PAYLOAD, FAILED
    }

    /** Constant time, as PROTOCOL.chacha20poly1305 asks. */
    private boolean tagMatches(byte[] data, int at) {
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= tag[i] ^ data[at + i];
        }
        return diff == 0;
    }

    /**
     * A factory under OpenSSH's name, in place of MINA's BuiltinCiphers.cc20p1305_openssh. A {@link CipherFactory}, so
     * MINA sees from the factory alone that it is an AEAD cipher (no MAC is negotiated with it).
     */
    static final class Factory implements CipherFactory, ChaCha20Poly1305Sizes {
        private final Supplier<Cipher> maker;
        private final Supplier<Boolean> supported;

        Factory(Supplier<Cipher> maker, Supplier<Boolean> supported) {
            this.maker = maker;
            this.supported = supported;
        }

        @Override
        public Cipher create() {
            return maker.get();
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean isSupported() {
            return supported.get();
        }

        @Override
        public String toString() {
            return NAME;
        }
    }
}
