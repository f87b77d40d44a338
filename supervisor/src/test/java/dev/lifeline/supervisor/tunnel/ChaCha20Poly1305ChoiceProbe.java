package dev.lifeline.supervisor.tunnel;

/**
 * Run in a JVM of its own by LibcryptoFallbackTest (the libcrypto binding happens once per JVM): prints the class of
 * the chacha20-poly1305@openssh.com cipher the client would use, after a round trip through it.
 */
public final class ChaCha20Poly1305ChoiceProbe {
    private ChaCha20Poly1305ChoiceProbe() {
    }

    public static void main(String[] args) throws Exception {
        byte[] key = new byte[64];
        byte[] iv = new byte[8];
        var out = (OpenSshChaCha20Poly1305) CipherChoice.order(java.util.List.of(OpenSshChaCha20Poly1305.NAME)).get(0).create();
        var in = (OpenSshChaCha20Poly1305) CipherChoice.order(java.util.List.of(OpenSshChaCha20Poly1305.NAME)).get(0).create();
        out.init(org.apache.sshd.common.cipher.Cipher.Mode.Encrypt, key, iv);
        in.init(org.apache.sshd.common.cipher.Cipher.Mode.Decrypt, key, iv);
        byte[] packet = new byte[4 + 64 + 16];
        packet[3] = 64;
        packet[10] = 42;
        out.updateWithAAD(packet, 0, 4, 64);
        in.updateAAD(packet, 0, 4);
        in.update(packet, 4, 64);
        System.out.println("cipher=" + out.getClass().getSimpleName() + " roundtrip=" + (packet[3] == 64 && packet[10] == 42));
    }
}
