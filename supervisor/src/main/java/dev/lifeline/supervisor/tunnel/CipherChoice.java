package dev.lifeline.supervisor.tunnel;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The cipher order for this CPU. Measured (ci/bench.sh throughput, 2-core x86 with AES-NI, JDK 17, the supervisor's
 * CPU per GB pulled through one tunnel): aes128-gcm 1.2–1.5 s; chacha20-poly1305 4.2–5 s on the JDK's ChaCha20 (its
 * key stream and Poly1305 are plain Java on JDK 17), 1.6–3.3 s on OpenSSL's libcrypto (0.81× OpenSSH's MB/s against
 * 0.38× before). So AES-GCM leads wherever the JVM has AES intrinsics (x86 AES-NI, ARMv8 crypto extensions such as
 * the Raspberry Pi 5's): JDK 17's GCM runs 6.9 GB/s in a loop here, faster than libcrypto's through JNA (4.3 GB/s),
 * so AES stays on the JDK. Without them (Raspberry Pi 4) AES runs in plain Java; chacha20, designed for software and
 * NEON code in libcrypto, is then the better guess — not measured on ARM here. The bastion's sshd offers both;
 * ssh.ciphers overrides the choice.
 *
 * <p>chacha20-poly1305@openssh.com is {@link ChaCha20Poly1305Choice}: {@link LibcryptoChaCha20Poly1305} where
 * libcrypto.so.3 and JNA load, else {@link JdkChaCha20Poly1305} (one log line says why); never MINA's cipher of that
 * name (its slowest: 142 against 161 MB/s for the JDK one, interleaved in one ci/bench.sh throughput-ab run).
 */
final class CipherChoice {
    private static final NamedFactory<Cipher> CHACHA20 = ChaCha20Poly1305Choice.FACTORY;
    private static final List<NamedFactory<Cipher>> WITH_AES = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr, CHACHA20);
    private static final List<NamedFactory<Cipher>> WITHOUT_AES = List.of(CHACHA20,
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes256ctr);

    private CipherChoice() {
    }

    static List<NamedFactory<Cipher>> order(List<String> configured) {
        List<NamedFactory<Cipher>> out = new ArrayList<>();
        if (configured.isEmpty()) {
            out.addAll(jvmHasAesIntrinsics() ? WITH_AES : WITHOUT_AES);
            return out;
        }
        for (String name : configured) {
            out.add(byName(name));
        }
        return out;
    }

    private static NamedFactory<Cipher> byName(String name) {
        if (CHACHA20.getName().equals(name) && ChaCha20Poly1305Choice.FACTORY.isSupported()) {
            return CHACHA20;
        }
        BuiltinCiphers c = BuiltinCiphers.fromFactoryName(name);
        if (c == null || !c.isSupported() || c == BuiltinCiphers.cc20p1305_openssh) {
            throw new IllegalArgumentException("ssh.ciphers: '" + name + "' is not a cipher this client supports; use one of "
                    + WITH_AES.stream().map(NamedFactory::getName).toList());
        }
        return c;
    }

    static boolean jvmHasAesIntrinsics() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hs != null && Boolean.parseBoolean(hs.getVMOption("UseAES").getValue());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
