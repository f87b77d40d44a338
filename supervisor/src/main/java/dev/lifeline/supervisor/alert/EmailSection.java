package dev.lifeline.supervisor.alert;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.lifeline.supervisor.settings.ConfigValueException;
import dev.lifeline.supervisor.settings.SecretFile;
import dev.lifeline.supervisor.settings.Words;

/**
 * {@code alerts.email}: mail through an SMTP server that wants a login.
 *
 * @param security how the connection is protected; {@code none} only to a relay on 127.0.0.1
 * @param passwordFile null only without a {@code username} (an unauthenticated local relay)
 */
public record EmailSection(String smtpHost, int smtpPort, Security security, String username, Path passwordFile,
                           String from, List<String> to) {
    private static final Pattern HOST_PORT = Pattern.compile("([^\\s:]+):(\\d{1,5})");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+|[^@\\s<>]+@localhost");

    public enum Security {
        /** plain connect, then STARTTLS, which must succeed (port 587) */
        STARTTLS,
        /** TLS from the first byte (port 465) */
        TLS,
        /** no encryption: a relay on this host only */
        NONE
    }

    @JsonCreator
    static EmailSection read(@JsonProperty("smtp") String smtp, @JsonProperty("security") String security,
                             @JsonProperty("username") String username, @JsonProperty("passwordFile") String passwordFile,
                             @JsonProperty("from") String from, @JsonProperty("to") List<String> to) {
        Matcher m = HOST_PORT.matcher(smtp == null ? "" : smtp.trim());
        if (!m.matches()) {
            throw new ConfigValueException("smtp", "smtp must be HOST:PORT of the mail server, e.g. smtp.example.com:587 (got " + smtp + ")");
        }
        return new EmailSection(m.group(1), Integer.parseInt(m.group(2)), Words.parse("security", Security.class, security, Security.STARTTLS), username,
                passwordFile == null ? null : SecretFile.checked("passwordFile", passwordFile), from, to);
    }

    public EmailSection {
        if (smtpPort < 1 || smtpPort > 65535) {
            throw new ConfigValueException("smtp", "smtp port must be 1..65535 (got " + smtpPort + ")");
        }
        if (security == Security.NONE && !smtpHost.equals("127.0.0.1")) {
            throw new ConfigValueException("security", "security: none sends the password and alerts in clear text; it is allowed only to a relay on 127.0.0.1 (smtp is " + smtpHost + "); use starttls or tls");
        }
        if (username != null && passwordFile == null) {
            throw new ConfigValueException("passwordFile", "passwordFile is missing; username " + username + " needs the password in a file (chmod 600)");
        }
        if (from == null || !ADDRESS.matcher(from).matches()) {
            throw new ConfigValueException("from", "from must be an email address, e.g. lifeline@example.com (got " + from + ")");
        }
        if (to == null || to.isEmpty()) {
            throw new ConfigValueException("to", "to lists no address; give at least one, e.g. [admin@example.com]");
        }
        to = List.copyOf(to);
        for (String a : to) {
            if (a == null || !ADDRESS.matcher(a).matches()) {
                throw new ConfigValueException("to", "to: " + a + " is not an email address");
            }
        }
    }
}
