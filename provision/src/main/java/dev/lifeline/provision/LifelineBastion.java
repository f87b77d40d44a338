package dev.lifeline.provision;

import java.util.LinkedHashMap;
import java.util.Map;

import com.pulumi.Context;
import com.pulumi.core.Output;

import dev.lifeline.provision.bastion.AwsBastion;
import dev.lifeline.provision.bastion.Bastion;
import dev.lifeline.provision.bastion.DigitalOceanBastion;
import dev.lifeline.provision.bastion.args.BastionArgs;
import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.spec.TunnelSpec;
import dev.lifeline.templates.stack.BastionSpecReader;
import dev.lifeline.templates.stack.StackValues;

/**
 * The whole stack: validate the config (a bad stack fails here, before any resource exists), build the one
 * bastion component for the chosen provider, and export what {@code lifeline import} needs to pin it.
 */
public final class LifelineBastion {

    private LifelineBastion() {
    }

    public static void define(Context ctx, StackValues values) {
        BastionSpec spec = BastionSpecReader.read(values);
        BastionArgs args = BastionArgs.of(spec);
        Bastion bastion = switch (spec.provider()) {
            case AWS -> new AwsBastion(args.baseName(), args);
            case DIGITALOCEAN -> new DigitalOceanBastion(args.baseName(), args);
        };
        export(ctx, spec, bastion);
    }

    private static void export(Context ctx, BastionSpec spec, Bastion bastion) {
        ctx.export("provider", Output.of(spec.provider().id()));
        ctx.export("region", Output.of(spec.region()));
        ctx.export("instanceId", bastion.instanceId());
        ctx.export("publicIp", bastion.publicIp());
        ctx.export("sshPort", Output.of(spec.sshPort()));
        ctx.export("adminUser", Output.of(spec.adminUser()));
        // The line the supervisor pins: built from the host key made at home, never from a first connection.
        ctx.export("knownHostsLine", bastion.publicIp().applyValue(ip -> spec.hostKey().knownHostsLine(ip, spec.sshPort())));
        ctx.export("hostKeyPublic", Output.of(spec.hostKey().publicLine()));
        ctx.export("tunnelPorts", Output.of(tunnelPorts(spec)));
        // The bastion's own speed test, for the supervisor's backup-line check: a secret output, because its path is
        // what keeps strangers off it. Only with a domain: the supervisor checks the certificate (Let's Encrypt's).
        spec.web().filter(w -> w.letsEncrypt()).ifPresent(w ->
                ctx.export("speedUrl", Output.ofSecret("https://" + w.domain() + spec.speedPath())));
        // The Pi's own key for on-outage mode: `lifeline import` installs it (it needs --show-secrets for the secret).
        bastion.supervisorKey().ifPresent(key -> {
            ctx.export("supervisorAccessKeyId", key.accessKeyId());
            ctx.export("supervisorSecretAccessKey", key.secretAccessKey());
        });
    }

    private static Map<String, Integer> tunnelPorts(BastionSpec spec) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (TunnelSpec t : spec.tunnels()) {
            ports.put(t.name(), t.port());
        }
        return ports;
    }
}
