package dev.lifeline.supervisor.tunnel;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few functions of OpenSSL 3's libcrypto that {@link LibcryptoChaCha20Poly1305} calls, bound by JNA's direct
 * mapping ({@link Native#register}: static native methods, no proxy, no per-call reflection). Bound once, on first
 * use: when the library or JNA's own native part cannot load, {@link #unusable} says why, logged once.
 *
 * <p>The library: {@code libcrypto.so.3}, OpenSSL 3's soname, which Debian ships in the {@code libssl3} package
 * (Debian 12: /usr/lib/&lt;triplet&gt;/libcrypto.so.3; {@code dpkg -S libcrypto.so.3}), the one OpenSSH's ssh and sshd
 * on Debian link. The name with its soname version goes to dlopen as it is (JNA's NativeLibrary.mapSharedLibraryName
 * leaves a name that isVersionedName, "lib" + … + ".so." + digits, unchanged on Linux: java-native-access/jna,
 * src/com/sun/jna/NativeLibrary.java), so the unversioned libcrypto.so of libssl-dev is not needed. The system property
 * {@value #LIBRARY_PROPERTY} names another library (tests use it to make the load fail).
 *
 * <p>size_t arguments are {@link NativeLong}: C's long has size_t's width on every Linux ABI (LP64 and ILP32), so on a
 * 32-bit Raspberry Pi OS as on arm64 and x86-64.
 */
final class Libcrypto {
    static final String LIBRARY_PROPERTY = "lifeline.libcrypto";
    static final String DEFAULT_LIBRARY = "libcrypto.so.3";
    private static final Logger LOG = LoggerFactory.getLogger(Libcrypto.class);

    private Libcrypto() {
    }

    // EVP_CIPHER_fetch(3), EVP_EncryptInit(3) (OpenSSL 3.0 manual pages): each returns 1 on success (Init, Update)
    // or a non-NULL object.
    static native Pointer EVP_CIPHER_fetch(Pointer libctx, String algorithm, Pointer properties);

    static native Pointer EVP_CIPHER_CTX_new();

    static native void EVP_CIPHER_CTX_free(Pointer ctx);

    static native int EVP_EncryptInit_ex(Pointer ctx, Pointer cipher, Pointer engine, Pointer key, Pointer iv);

    static native int EVP_EncryptUpdate(Pointer ctx, Pointer out, Pointer outLength, Pointer in, int inLength);

    // EVP_MAC(3): fetch, CTX_new non-NULL on success; init, update, final 1 on success.
    static native Pointer EVP_MAC_fetch(Pointer libctx, String algorithm, Pointer properties);

    static native Pointer EVP_MAC_CTX_new(Pointer mac);

    static native void EVP_MAC_CTX_free(Pointer ctx);

    static native int EVP_MAC_init(Pointer ctx, Pointer key, NativeLong keyLength, Pointer params);

    static native int EVP_MAC_update(Pointer ctx, Pointer data, NativeLong length);

    static native int EVP_MAC_final(Pointer ctx, Pointer out, Pointer outLength, NativeLong outSize);

    // OPENSSL_VERSION_NUMBER(3): OpenSSL_version(OPENSSL_VERSION) is "OpenSSL 3.0.19 27 Jan 2026".
    static native String OpenSSL_version(int type);

    /** OpenSSL's "ChaCha20" cipher and "POLY1305" MAC, fetched once from the default provider; shared by all threads. */
    record Algorithms(Pointer chacha20, Pointer poly1305, String version) {
    }

    /** The fetched algorithms, or empty when libcrypto is unusable (see {@link #unusable}). */
    static Optional<Algorithms> algorithms() {
        return Loaded.ALGORITHMS;
    }

    /** Why libcrypto cannot be used here, or empty when it can. */
    static Optional<String> unusable() {
        return Loaded.WHY_NOT;
    }

    /** Binds on first use; a failed bind is not retried (the library will not appear in a running process). */
    private static final class Loaded {
        private static final Optional<Algorithms> ALGORITHMS;
        private static final Optional<String> WHY_NOT;

        static {
            String library = System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY);
            Algorithms found = null;
            String why = null;
            try {
                requireJna();
                Native.register(Libcrypto.class, NativeLibrary.getInstance(library));
                Pointer chacha = EVP_CIPHER_fetch(null, "ChaCha20", null);
                Pointer poly = EVP_MAC_fetch(null, "POLY1305", null);
                if (chacha == null || poly == null) {
                    why = library + " has no " + (chacha == null ? "ChaCha20 cipher" : "POLY1305 MAC") + " in its default provider;"
                            + " install the libssl3 package (OpenSSL 3)";
                } else {
                    found = new Algorithms(chacha, poly, OpenSSL_version(0));
                }
            } catch (JnaMissing e) {
                why = "JNA's native part (libjnidispatch) did not load: " + e.getMessage() + "; JNA unpacks it into"
                        + " jna.tmpdir, else $XDG_CACHE_HOME or ~/.cache under JNA/temp, else java.io.tmpdir: one must be writable and"
                        + " not mounted noexec";
            } catch (LinkageError | RuntimeException e) {
                // UnsatisfiedLinkError: no such library, or a symbol missing (not OpenSSL 3)
                why = libraryError(e) + "; install the libssl3 package (OpenSSL 3)";
            }
            ALGORITHMS = Optional.ofNullable(found);
            WHY_NOT = Optional.ofNullable(why);
            if (why != null) {
                LOG.warn("{}: OpenSSL's {} is not usable, so the JDK's ChaCha20 runs it, about half as fast: {}", OpenSshChaCha20Poly1305.NAME,
                        library, why);
            } else {
                LOG.info("{} runs on {} ({})", OpenSshChaCha20Poly1305.NAME, found.version(), library);
            }
        }

        /**
         * Loads JNA's Native class, whose initialiser loads libjnidispatch; its failure said apart from libcrypto's. Where
         * it unpacks it: JNA 5's Native.getTempDir (java-native-access/jna, src/com/sun/jna/Native.java).
         */
        private static void requireJna() {
            try {
                Native.getDefaultStringEncoding();
            } catch (LinkageError e) {
                throw new JnaMissing(firstLine(e.getMessage()));
            }
        }

        /** JNA's message is "Unable to load library 'X':" then dlopen's reason(s), one a line: the first of those is the cause. */
        private static String libraryError(Throwable e) {
            List<String> lines = e.getMessage() == null ? List.of(e.getClass().getSimpleName()) : e.getMessage().strip().lines().toList();
            return lines.size() > 1 && lines.get(0).endsWith(":") ? lines.get(1).strip() : lines.get(0).strip();
        }

        private static String firstLine(String message) {
            return message == null ? "no reason given" : message.strip().lines().findFirst().orElse("").strip();
        }
    }

    private static final class JnaMissing extends RuntimeException {
        JnaMissing(String message) {
            super(message, null, false, false);
        }
    }
}
