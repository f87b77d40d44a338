package dev.lifeline.templates.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.lifeline.templates.spec.BastionSpec;

/** Every file the bastion runs, rendered from the templates for one spec and layout. */
public final class BastionFiles {
    public static final String SSHD_CONFIG = "/etc/ssh/sshd_config";
    public static final String AUTHORIZED_KEYS_DIR = "/etc/ssh/authorized_keys";
    public static final String NGINX_CONF = "/etc/nginx/nginx.conf";
    public static final String LOGIN_ALERT = "/usr/local/sbin/lifeline-login-alert";
    public static final String LOGIN_ALERT_ENV = "/etc/lifeline/login-alert.env";
    public static final String PAM_INCLUDE = "/etc/pam.d/lifeline-login-alert";
    public static final String SMS = "/usr/local/sbin/lifeline-sms";
    public static final String HOME_WATCH = "/usr/local/sbin/lifeline-home-watch";
    public static final String HOME_WATCH_UNIT = "/etc/systemd/system/lifeline-home-watch.service";
    public static final String TUNNEL_WATCHDOG = "/usr/local/sbin/lifeline-tunnel-watchdog";
    public static final String TUNNEL_WATCHDOG_UNIT = "/etc/systemd/system/lifeline-tunnel-watchdog.service";
    public static final String TLS_SETUP = "/usr/local/sbin/lifeline-tls-setup";
    public static final String NFTABLES = "/etc/nftables.conf";
    public static final String SYSCTL = "/etc/sysctl.d/60-lifeline.conf";

    private BastionFiles() {
    }

    public static List<RenderedFile> render(BastionSpec spec, BastionLayout layout) {
        Map<String, Object> model = BastionModel.of(spec, layout);
        List<RenderedFile> files = new ArrayList<>();
        files.add(file(SSHD_CONFIG, "ssh/sshd_config", model, "0644"));
        files.add(file(AUTHORIZED_KEYS_DIR + "/" + spec.adminUser(), "ssh/authorized_keys.admin", model, "0644"));
        for (Map<String, Object> tunnel : tunnelModels(model)) {
            files.add(new RenderedFile(AUTHORIZED_KEYS_DIR + "/" + tunnel.get("name"),
                    Templates.render("ssh/authorized_keys.tunnel", tunnel), "0644", false, false));
        }
        files.add(file(LOGIN_ALERT, "login-alert/lifeline-login-alert.sh", model, "0755"));
        files.add(new RenderedFile(LOGIN_ALERT_ENV, Templates.render("login-alert/login-alert.env", model), "0600",
                spec.twilio().isPresent(), false));
        files.add(file(PAM_INCLUDE, "login-alert/pam", model, "0644"));
        files.add(file(SMS, "sms/lifeline-sms.sh", model, "0755"));
        files.add(file(HOME_WATCH, "home-watch/lifeline-home-watch.sh", model, "0755"));
        files.add(file(HOME_WATCH_UNIT, "home-watch/lifeline-home-watch.service", model, "0644"));
        files.add(file(TUNNEL_WATCHDOG, "tunnel-watchdog/lifeline-tunnel-watchdog.sh", model, "0755"));
        files.add(file(TUNNEL_WATCHDOG_UNIT, "tunnel-watchdog/lifeline-tunnel-watchdog.service", model, "0644"));
        files.add(file(NFTABLES, "nftables/nftables.conf", model, "0755"));
        files.add(file(SYSCTL, "sysctl/60-lifeline.conf", model, "0644"));
        files.add(deferred("/etc/apt/apt.conf.d/20auto-upgrades", "upgrades/20auto-upgrades", model));
        files.add(deferred("/etc/apt/apt.conf.d/52lifeline-unattended-upgrades", "upgrades/52lifeline-unattended-upgrades", model));
        files.add(deferred("/etc/fail2ban/jail.d/lifeline-sshd.conf", "fail2ban/lifeline-sshd.conf", model));
        if (spec.webEnabled()) {
            files.add(deferred(NGINX_CONF, "nginx/nginx.conf", model));
            files.add(file(TLS_SETUP, "tls/lifeline-tls-setup.sh", model, "0755"));
            if (spec.web().get().letsEncrypt()) {
                files.add(file("/etc/systemd/system/lifeline-tls.service", "tls/lifeline-tls.service", model, "0644"));
                files.add(file("/etc/systemd/system/lifeline-tls.timer", "tls/lifeline-tls.timer", model, "0644"));
            }
        }
        if (spec.logTarget().isPresent()) {
            files.add(deferred("/etc/rsyslog.d/90-lifeline-forward.conf", "rsyslog/90-lifeline-forward.conf", model));
        }
        return List.copyOf(files);
    }

    /** The shell scripts among the files, for shellcheck. */
    public static boolean isScript(RenderedFile f) {
        return f.content().startsWith("#!/bin/bash") || f.content().startsWith("#!/bin/sh");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tunnelModels(Map<String, Object> model) {
        return (List<Map<String, Object>>) model.get("tunnels");
    }

    private static RenderedFile file(String path, String template, Map<String, Object> model, String mode) {
        return new RenderedFile(path, Templates.render(template, model), mode, false, false);
    }

    private static RenderedFile deferred(String path, String template, Map<String, Object> model) {
        return new RenderedFile(path, Templates.render(template, model), "0644", false, true);
    }
}
