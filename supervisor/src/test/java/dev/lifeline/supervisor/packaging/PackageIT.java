package dev.lifeline.supervisor.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeline.supervisor.testing.JvmOptions;
import dev.lifeline.supervisor.testing.OpsFiles;
import dev.lifeline.supervisor.testing.PrometheusTools;
import dev.lifeline.templates.testing.Tools;
import dev.lifeline.supervisor.testing.BuiltPackage;

/**
 * The .deb the build makes, installed for real by dpkg — into a throwaway root ({@code dpkg --root}, maintainer
 * scripts run chrootless with DPKG_ROOT), so this machine gets no package, no user and no service.
 */
class PackageIT {
    private static final Map<String, String> SBIN_PATH = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private static Path deb;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheDeb() {
        deb = BuiltPackage.deb();
    }

    @Test
    void theControlDataNameTheJavaRuntimeAndTheConffile() {
        Tools.Result info = Tools.run(30, List.of("dpkg-deb", "--info", deb.toString()));

        assertThat(info.exitCode()).as("%s", info).isZero();
        assertThat(info.output()).contains("Package: lifeline").contains("Architecture: all")
                .contains("Depends: openjdk-17-jre-headless | java17-runtime-headless")
                // libcrypto.so.3 for chacha20-poly1305 (LibcryptoChaCha20Poly1305): Debian 12's package, and Debian 13's
                // after the 64-bit time_t rename
                .contains("libssl3 | libssl3t64")
                .contains("conffiles").contains("postinst");
        Tools.Result conffiles = Tools.run(30, List.of("dpkg-deb", "--info", deb.toString(), "conffiles"));
        assertThat(conffiles.output().strip()).isEqualTo("/etc/lifeline/lifeline.yaml");
    }

    @Test
    void theDataHoldTheJarItsFlagsTheWrapperTheUnitAndTheConfig() {
        Tools.Result contents = Tools.run(30, List.of("dpkg-deb", "--contents", deb.toString()));

        assertThat(contents.exitCode()).as("%s", contents).isZero();
        assertThat(contents.output()).containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/lifeline\\.jar\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/jvm\\.options\n")
                // the cloud and SMS libraries, added to the class path when a config needs them (OnDemandJars)
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/lib/aws\\.jar\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/lib/digitalocean\\.jar\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/lib/twilio\\.jar\n")
                .containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/lifeline\n")
                .containsPattern("-rw-r--r-- root/root .* \\./lib/systemd/system/lifeline\\.service\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/lib/sysctl\\.d/60-lifeline\\.conf\n")
                .containsPattern("-rw-r--r-- root/root .* \\./etc/lifeline/lifeline\\.yaml\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/prometheus/lifeline-rules\\.yml\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/lifeline/grafana/lifeline-dashboard\\.json\n");
    }

    /**
     * The packaged lifeline.jar carries JNA with its Linux dispatch library (the shade filter keeps only Linux's), and
     * chacha20-poly1305 runs on libcrypto from it: ChaCha20Poly1305ChoiceProbe (a test class) with the unpacked jar
     * first on the class path, JNA barred from any system copy of its native part.
     */
    @Test
    void thePackagedJarRunsChaCha20OnLibcryptoThroughItsOwnJna() throws Exception {
        Path jar = BuiltPackage.unpack(root).resolve("usr/share/lifeline/lifeline.jar");
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            List<String> natives = j.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.endsWith("jnidispatch.so")
                    || n.endsWith(".dll") || n.endsWith(".jnilib") || n.endsWith("jnidispatch.a")).toList();
            assertThat(natives).contains("com/sun/jna/linux-x86-64/libjnidispatch.so", "com/sun/jna/linux-aarch64/libjnidispatch.so",
                    "com/sun/jna/linux-arm/libjnidispatch.so").allMatch(n -> n.startsWith("com/sun/jna/linux-"));
        }
        Path probe = Path.of(dev.lifeline.supervisor.tunnel.ChaCha20Poly1305ChoiceProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Tools.Result run = Tools.run(60, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djna.nosys=true",
                "-cp", jar + ":" + probe, dev.lifeline.supervisor.tunnel.ChaCha20Poly1305ChoiceProbe.class.getName()));
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output()).contains("cipher=LibcryptoChaCha20Poly1305 roundtrip=true").doesNotContain("WARN");
    }

    @Test
    void theAlertRulesAndTheDashboardInstallUnderUsrShareAsInTheRepository() throws Exception {
        requireRoot();
        seedEmptyRoot();

        assertThat(dpkg("-i", deb.toString()).exitCode()).isZero();

        Path rules = root.resolve("usr/share/lifeline/prometheus/lifeline-rules.yml");
        assertThat(rules).hasSameTextualContentAs(OpsFiles.path("prometheus/lifeline-rules.yml"));
        assertThat(root.resolve("usr/share/lifeline/grafana/lifeline-dashboard.json"))
                .hasSameTextualContentAs(OpsFiles.path("grafana/lifeline-dashboard.json"));
        // the path the example Prometheus config loads them from
        assertThat(Files.readString(OpsFiles.path("prometheus/prometheus.example.yml"))).contains("/usr/share/lifeline/prometheus/lifeline-rules.yml");
        Tools.Result check = PrometheusTools.promtool().run(null, "check", "rules", rules.toString());
        assertThat(check.exitCode()).as("%s", check).isZero();
    }

    @Test
    void itInstallsRunsAndPurgesInAThrowawayRootLeavingThisMachineAlone() throws Exception {
        requireRoot();
        String hostPasswd = Files.readString(Path.of("/etc/passwd"));
        assertThat(Tools.run(30, List.of("dpkg-query", "-W", "lifeline")).exitCode()).as("lifeline is not installed on this machine").isNotZero();
        seedEmptyRoot();

        Tools.Result install = dpkg("-i", deb.toString());

        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(Files.readAllLines(root.resolve("etc/passwd"))).anySatisfy(l -> assertThat(l).startsWith("lifeline:x:").endsWith(":/var/lib/lifeline:/usr/sbin/nologin"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/lifeline")))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/lifeline/keys")))).isEqualTo("rwx------");
        assertThat(Files.readString(root.resolve("etc/lifeline/lifeline.yaml"))).isEqualTo(Files.readString(Path.of("lifeline.example.yaml")));

        Tools.Result version = Tools.run(60, List.of(root.resolve("usr/bin/lifeline").toString(), "--version"));
        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.output()).startsWith("lifeline ");

        Tools.Result purge = dpkg("--purge", "lifeline");
        assertThat(purge.exitCode()).as("%s", purge).isZero();
        assertThat(root.resolve("usr/bin/lifeline")).doesNotExist();
        assertThat(root.resolve("etc/lifeline/lifeline.yaml")).as("a purge removes the conffile").doesNotExist();
        assertThat(root.resolve("var/lib/lifeline")).doesNotExist();

        assertThat(Files.readString(Path.of("/etc/passwd"))).as("this machine's users are untouched").isEqualTo(hostPasswd);
        assertThat(Path.of("/usr/share/lifeline")).doesNotExist();
        assertThat(Tools.run(30, List.of("dpkg-query", "-W", "lifeline")).exitCode()).isNotZero();
    }

    @Test
    void systemdAcceptsTheUnitAsInstalled() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"));
        if (!present && !"true".equals(System.getenv("CI"))) {
            System.out.println("PackageIT: systemd-analyze is not installed, so the unit is not verified (ci/test.sh installs systemd)");
        }
        assumeTrue(present || "true".equals(System.getenv("CI")), "systemd-analyze is not installed");
        requireRoot();
        seedEmptyRoot();
        assertThat(dpkg("-i", deb.toString()).exitCode()).isZero();
        // verify resolves the unit's dependencies inside the root: give it this machine's targets
        try (Stream<Path> targets = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path t : targets.filter(p -> p.getFileName().toString().endsWith(".target")).toList()) {
                Files.copy(t, root.resolve("lib/systemd/system").resolve(t.getFileName()));
            }
        }

        Tools.Result verify = Tools.run(60, List.of("systemd-analyze", "verify", "--root=" + root, "/lib/systemd/system/lifeline.service"));

        // verify exits 0 on a mistyped key or a bad value, only printing them: no output at all is the pass
        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.output()).as("%s", verify).isEmpty();
        String unit = Files.readString(root.resolve("lib/systemd/system/lifeline.service"));
        assertThat(unit).contains("ExecStart=/usr/bin/lifeline run --config /etc/lifeline/lifeline.yaml\n")
                .contains("Restart=always\n").contains("User=lifeline\n").contains("NoNewPrivileges=yes\n")
                .contains("ProtectSystem=strict\n").contains("ProtectHome=yes\n").contains("PrivateTmp=yes\n")
                .contains("StateDirectory=lifeline\n").contains("ConfigurationDirectory=lifeline\n")
                .contains("Wants=network-online.target\n").contains("After=network-online.target\n").contains("KillSignal=SIGTERM\n");
    }

    @Test
    void theInstalledWrapperRunsJavaWithTheInstalledFlagsFile() throws Exception {
        requireRoot();
        seedEmptyRoot();
        assertThat(dpkg("-i", deb.toString()).exitCode()).isZero();
        Path installed = root.resolve("usr/share/lifeline/jvm.options");
        assertThat(installed).as("the flags ./lifeline and ci/bench.sh use").hasSameTextualContentAs(JvmOptions.file());
        assertThat(JvmOptions.read(installed)).contains("-XX:+UseSerialGC").anySatisfy(f -> assertThat(f).startsWith("-Xmx"));

        // A flag only the installed file holds shows in the JVM's own account of its command line: the wrapper read it.
        Files.writeString(installed, "-XX:+PrintCommandLineFlags\n", java.nio.file.StandardOpenOption.APPEND);
        Tools.Result version = Tools.run(60, List.of(root.resolve("usr/bin/lifeline").toString(), "--version"));

        assertThat(version.exitCode()).as("%s", version).isZero();
        String printed = version.output().lines().filter(l -> l.contains("-XX:+PrintCommandLineFlags")).findFirst()
                .orElseThrow(() -> new AssertionError("the installed jvm.options was not read:\n" + version.output()));
        assertThat(printed).contains("-XX:+UseSerialGC").contains("-XX:-TieredCompilation");
        assertThat(version.output()).contains("lifeline ");
    }

    @Test
    void theLaunchersPassShellcheck() {
        Path wrapper = Path.of("..", "templates", "src", "main", "resources", "home", "bin", "lifeline");
        Tools.Result check = Tools.run(30, List.of("shellcheck", wrapper.toString(), Path.of("..", "lifeline").toString(),
                "src/deb/control/postinst", "src/deb/control/postrm", "src/deb/control/prerm"));
        assertThat(check.exitCode()).as("%s", check).isZero();
    }

    /** The least dpkg needs to install into a root: its database and the account files useradd --prefix edits. */
    private void seedEmptyRoot() throws IOException {
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root.resolve("etc/gshadow"), PosixFilePermissions.fromString("rw-------"));
    }

    /** dpkg on the throwaway root: its own log, scripts without chroot (they honour DPKG_ROOT), no Java inside it. */
    private Tools.Result dpkg(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("dpkg", "--root=" + root, "--log=" + root.resolve("dpkg.log"),
                "--force-script-chrootless", "--force-depends"));
        cmd.addAll(List.of(args));
        return Tools.run(120, cmd, SBIN_PATH, null);
    }

    /** dpkg --root sets owners: as root only. ci/test.sh runs as root, so in CI not being root is a failure. */
    private static void requireRoot() {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(isRoot()).as("CI runs the package tests as root (ci/test.sh)").isTrue();
        }
        assumeTrue(isRoot() || "true".equals(System.getenv("CI")), "dpkg --root sets file owners: skipped when not root (under CI=true, where ci/test.sh runs as root, it fails instead)");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
