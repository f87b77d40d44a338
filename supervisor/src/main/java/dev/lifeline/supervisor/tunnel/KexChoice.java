package dev.lifeline.supervisor.tunnel;

import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The key exchange the tunnels offer: only the post-quantum hybrid sntrup761x25519-sha512, because that is all the
 * bastion's sshd offers (sshd_config.mustache, SshAuditIT). MINA SSHD 2.16 runs it when Bouncy Castle's NTRU Prime
 * classes are on the class path (its SNTRUP761.isSupported() asks for SNTRUPrimeParameters), so the supervisor
 * carries bcprov; without it no tunnel could ever connect, hence the loud failure below instead of a quiet fallback
 * to curve25519-sha256 that the bastion would refuse anyway.
 */
public final class KexChoice {
    /** Both names of the one exchange: OpenSSH 9.2's vendor name first, the IANA name (RFC 9941) after it. */
    static final List<BuiltinDHFactories> OFFERED = List.of(BuiltinDHFactories.sntrup761x25519_openssh,
            BuiltinDHFactories.sntrup761x25519);

    private KexChoice() {
    }

    /**
     * Keeps Bouncy Castle a library. Once MINA finds BC's JCE provider it registers it and makes it the default
     * provider for everything its SunJCE wrapper does not claim (X25519, digests, signatures, its random), so the
     * whole handshake would move from the JDK's code to BC's (MINA's docs/dependencies.md: "If Bouncy Castle modules
     * are registered, then the code will use its implementation of the ciphers, keys, signatures, etc."), and the
     * idle supervisor grows (measured with two tunnels and the unit's JVM flags: 642 BC classes loaded instead of 54,
     * metaspace +1.7 MB, RSS about +6 MB). The kex calls BC's NTRU Prime classes directly and needs no provider. MINA registers providers once, on its first
     * crypto call, so this runs before any (Lifeline.main, and again here for anything that builds a client
     * without going through main); after that it has no effect, and everything still works, only on BC's code.
     */
    public static void keepBouncyCastleOffTheProviderList() {
        SecurityUtils.setAPrioriDisabledProvider(SecurityUtils.BOUNCY_CASTLE, true);
    }

    /** The client's key exchanges, or a clear error when this class path cannot run them. */
    static List<KeyExchangeFactory> factories() {
        List<KeyExchangeFactory> out = new ArrayList<>();
        for (BuiltinDHFactories kex : OFFERED) {
            if (!kex.isSupported()) {
                throw new IllegalStateException("key exchange " + kex.getName() + " is not available: MINA SSHD runs it on"
                        + " Bouncy Castle (org.bouncycastle:bcprov-jdk18on >= 1.78), which is missing from the class path;"
                        + " run the supervisor from lifeline.jar, which carries it. The bastion offers no other key exchange.");
            }
            out.add(ClientBuilder.DH2KEX.apply(kex));
        }
        return out;
    }
}
