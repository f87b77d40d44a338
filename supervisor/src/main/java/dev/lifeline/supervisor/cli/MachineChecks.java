package dev.lifeline.supervisor.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.lifeline.supervisor.cloud.AwsCredentialsFile;
import dev.lifeline.supervisor.jars.OnDemandJars;
import dev.lifeline.supervisor.probe.Probes;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.settings.StartupChecks;
import dev.lifeline.supervisor.tunnel.Identity;

/** check-config's (and init's) look at this machine, asked by the loader as it binds each value. */
final class MachineChecks implements StartupChecks {
    @Override
    public void tunnelKey(Path key) {
        // the loader saw a private file; only parsing it shows it is an unencrypted OpenSSH key (never quoting it)
        Identity.load(key);
    }

    @Override
    public void awsCredentials(Path file) {
        try {
            OnDemandJars.need(OnDemandJars.Library.AWS); // the file is read with the SDK's own profile parser
            AwsCredentialsFile.check("credentialsFile", file);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public void bind(String bind) {
        Probes.checkBind(bind);
    }

    @Override
    public void stateDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("stateDir " + dir + " is not a directory; give a directory (the package uses /var/lib/lifeline)");
        }
    }
}
