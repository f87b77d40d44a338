package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.AEADBadTagException;

import org.apache.sshd.common.cipher.Cipher;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * What every implementation of chacha20-poly1305@openssh.com must pass: RFC 8439's published vectors (Appendix A) for
 * each part of OpenSSH's construction, a Poly1305 from another library for the tag, and tamper rejection. Each
 * implementation's test extends it; the byte-for-byte check against OpenSSH itself is ChaCha20Poly1305OverSshd.
 */
abstract class ChaCha20Poly1305Vectors {
    static final HexFormat HEX = HexFormat.of();

    /** RFC 8439 A.2 test vector #2 (and A.3 #2/#3): 375 bytes of text. */
    private static final byte[] TEXT = ("Any submission to the IETF intended by the Contributor for publication as all or part of an IETF"
            + " Internet-Draft or RFC and any statement made within the context of an IETF activity is considered an \"IETF"
            + " Contribution\". Such statements include oral statements in IETF sessions, as well as written and electronic"
            + " communications made at any time or place, which are addressed to").getBytes(StandardCharsets.US_ASCII);
    /** RFC 8439 A.2 #2: that text under key 00…01, nonce 00…02, initial block counter 1. */
    private static final byte[] TEXT_CIPHERTEXT = HEX.parseHex(""
            + "a3fbf07df3fa2fde4f376ca23e827370" + "41605d9f4f4f57bd8cff2c1d4b7955ec" + "2a97948bd3722915c8f3d337f7d37005"
            + "0e9e96d647b7c39f56e031ca5eb6250d" + "4042e02785ececfa4b4bb5e8ead0440e" + "20b6e8db09d881a7c6132f420e527950"
            + "42bdfa7773d8a9051447b3291ce1411c" + "680465552aa6c405b7764d5e87bea85a" + "d00f8449ed8f72d0d662ab052691ca66"
            + "424bc86d2df80ea41f43abf937d3259d" + "c4b2d0dfb48a6c9139ddd7f76966e928" + "e635553ba76c5c879d7b35d49eb2e62b"
            + "0871cdac638939e25e8a1e0ef9d5280f" + "a8ca328b351c3c765989cbcf3daa8b6c" + "cc3aaf9f3979c92b3720fc88dc95ed84"
            + "a1be059c6499b9fda236e7e818b04b0b" + "c39c1e876b193bfe5569753f88128cc0" + "8aaa9b63d1a16f80ef2554d7189c411f"
            + "5869ca52c5b83fa36ff216b9c1d30062" + "bebcfd2dc5bce0911934fda79a86f6e6" + "98ced759c3ff9b6477338f3da4f9cd85"
            + "14ea9982ccafb341b2384dd902f3d1ab" + "7ac61dd29c6f21ba5b862f3730e37cfd" + "c4fd806c22f221");
    /** RFC 8439 A.4 #2: the Poly1305 key from key 00…01, nonce 00…02 (block 0). */
    private static final byte[] POLY_KEY = HEX.parseHex("ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739");
    /** RFC 8439 A.1 #5: key stream of the all-zero key, nonce 00…02, block counter 0 (its first 4 bytes). */
    private static final byte[] ZERO_KEY_STREAM = HEX.parseHex("c2c64d37");

    /** A new cipher of the implementation under test. */
    abstract OpenSshChaCha20Poly1305 newCipher();

    /**
     * One packet with sequence number 2 (the RFC's nonce 00…02 is OpenSSH's 64-bit nonce 2 behind a zero counter
     * word): K_2 = 00…01 (first half of the key material), K_1 = zeros (second half).
     */
    @Test
    void eachPartOfOnePacketMatchesRfc8439sVectors() throws Exception {
        byte[] key = new byte[64];
        key[31] = 1;
        byte[] iv = HEX.parseHex("0000000000000002");
        byte[] packet = packet(TEXT);

        OpenSshChaCha20Poly1305 enc = newCipher();
        enc.init(Cipher.Mode.Encrypt, key, iv);
        enc.updateWithAAD(packet, 0, 4, TEXT.length);

        byte[] length = new byte[] {0, 0, 1, 0x77}; // 375
        for (int i = 0; i < 4; i++) {
            assertThat(packet[i]).as("encrypted length byte %d (K_1 stream, block 0)", i).isEqualTo((byte) (length[i] ^ ZERO_KEY_STREAM[i]));
        }
        assertThat(Arrays.copyOfRange(packet, 4, 4 + TEXT.length)).as("payload (K_2 stream from block 1)").isEqualTo(TEXT_CIPHERTEXT);
        // The tag: Poly1305 with the RFC's one-time key over encrypted length + ciphertext, by Bouncy Castle's Poly1305
        // (another implementation than the MINA one the cipher uses; itself checked on RFC 8439 A.3 #3 below).
        assertThat(Arrays.copyOfRange(packet, 4 + TEXT.length, packet.length)).as("tag")
                .isEqualTo(bcPoly1305(POLY_KEY, Arrays.copyOf(packet, 4 + TEXT.length)));

        OpenSshChaCha20Poly1305 dec = newCipher();
        dec.init(Cipher.Mode.Decrypt, key, iv);
        dec.updateAAD(packet, 0, 4);
        assertThat(Arrays.copyOf(packet, 4)).isEqualTo(length);
        dec.update(packet, 4, TEXT.length);
        assertThat(Arrays.copyOfRange(packet, 4, 4 + TEXT.length)).isEqualTo(TEXT);
    }

    @Test
    void theReferencePoly1305MatchesRfc8439() {
        // A.3 #3
        byte[] key = HEX.parseHex("36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000");
        assertThat(HEX.formatHex(bcPoly1305(key, TEXT))).isEqualTo("f3477e7cd95417af89a6b8794c310cf0");
    }

    @Test
    void aTamperedPacketIsRejectedBeforeDecryption() throws Exception {
        byte[] key = new byte[64];
        new Random(1).nextBytes(key);
        byte[] iv = new byte[8];
        OpenSshChaCha20Poly1305 enc = newCipher();
        enc.init(Cipher.Mode.Encrypt, key, iv);
        byte[] packet = packet(TEXT);
        enc.updateWithAAD(packet, 0, 4, TEXT.length);
        packet[100] ^= 1;
        byte[] tampered = packet.clone();

        OpenSshChaCha20Poly1305 dec = newCipher();
        dec.init(Cipher.Mode.Decrypt, key, iv);
        dec.updateAAD(packet, 0, 4);
        assertThatThrownBy(() -> dec.update(packet, 4, TEXT.length)).isInstanceOf(AEADBadTagException.class);
        assertThat(Arrays.copyOfRange(packet, 4, packet.length)).as("nothing decrypted").isEqualTo(Arrays.copyOfRange(tampered, 4, tampered.length));
    }

    /**
     * A payload must follow its length: before init, twice after one length, or with no length at all, it is refused
     * with an exception (libcrypto's Poly1305, finished or never keyed, would take the JVM down instead).
     */
    @Test
    void aPayloadWithoutItsLengthFirstIsRefused() throws Exception {
        byte[] packet = packet(TEXT);
        OpenSshChaCha20Poly1305 fresh = newCipher();
        assertThatThrownBy(() -> fresh.update(packet, 4, TEXT.length)).isInstanceOf(IllegalStateException.class).hasMessageContaining("before init");

        OpenSshChaCha20Poly1305 enc = newCipher();
        enc.init(Cipher.Mode.Encrypt, new byte[64], new byte[8]);
        assertThatThrownBy(() -> enc.update(packet, 4, TEXT.length)).isInstanceOf(IllegalStateException.class);
        enc.updateWithAAD(packet, 0, 4, TEXT.length);
        assertThatThrownBy(() -> enc.update(packet, 4, TEXT.length)).hasMessageContaining("without its packet length");

        OpenSshChaCha20Poly1305 dec = newCipher();
        dec.init(Cipher.Mode.Decrypt, new byte[64], new byte[8]);
        dec.updateAAD(packet, 0, 4);
        dec.update(packet, 4, TEXT.length);
        assertThat(Arrays.copyOfRange(packet, 4, 4 + TEXT.length)).as("the one good packet").isEqualTo(TEXT);
        assertThatThrownBy(() -> dec.update(packet, 4, TEXT.length)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Offsets and lengths past the array are refused before any native code could read or write there, and the cipher
     * is unusable after such a failure: the same nonce never serves a second payload.
     */
    @Test
    void aPacketPastItsArrayIsRefusedAndEndsTheCipher() throws Exception {
        byte[] packet = packet(TEXT);
        OpenSshChaCha20Poly1305 a = keyed();
        assertThatThrownBy(() -> a.updateAAD(packet, packet.length - 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> a.updateAAD(packet, 0, 4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed packet");

        OpenSshChaCha20Poly1305 b = keyed();
        b.updateAAD(packet, 0, 4);
        assertThatThrownBy(() -> b.update(packet, 4, TEXT.length + 1)).as("no room for the tag").isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.updateAAD(packet, 0, 4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed packet");

        OpenSshChaCha20Poly1305 c = keyed();
        c.updateAAD(packet, 0, 4);
        assertThatThrownBy(() -> c.update(packet, 4, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private OpenSshChaCha20Poly1305 keyed() throws Exception {
        OpenSshChaCha20Poly1305 c = newCipher();
        c.init(Cipher.Mode.Encrypt, new byte[64], new byte[8]);
        return c;
    }

    /** Length field (plain, 4 bytes) + payload + room for the tag. */
    static byte[] packet(byte[] payload) {
        byte[] p = new byte[4 + payload.length + 16];
        p[0] = (byte) (payload.length >>> 24);
        p[1] = (byte) (payload.length >>> 16);
        p[2] = (byte) (payload.length >>> 8);
        p[3] = (byte) payload.length;
        System.arraycopy(payload, 0, p, 4, payload.length);
        return p;
    }

    private static byte[] bcPoly1305(byte[] key, byte[] data) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }
}
