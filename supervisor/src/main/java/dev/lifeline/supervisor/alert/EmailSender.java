package dev.lifeline.supervisor.alert;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;


/** Mail through an SMTP server, encrypted unless the server is a relay on this host. Receipt: the Message-ID. */
final class EmailSender implements Notifier {
    private final EmailSection config;
    private final String password;
    private final Session session;

    EmailSender(EmailSection config, String password, Duration timeout) {
        this(config, password, timeout, null);
    }

    /** @param trust null: the JVM's trust store and a host-name check; tests pass a factory that trusts their server only */
    EmailSender(EmailSection config, String password, Duration timeout, SSLSocketFactory trust) {
        this.config = config;
        this.password = password;
        this.session = Session.getInstance(properties(config, timeout, trust));
    }

    private static Properties properties(EmailSection c, Duration timeout, SSLSocketFactory trust) {
        Properties p = new Properties();
        String ms = Long.toString(timeout.toMillis());
        p.put("mail.smtp.host", c.smtpHost());
        p.put("mail.smtp.port", Integer.toString(c.smtpPort()));
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.auth", Boolean.toString(c.username() != null));
        // Angus's debug output would print the AUTH exchange, the password in base64.
        p.put("mail.debug", "false");
        switch (c.security()) {
            case STARTTLS -> {
                // required: a server (or a man in the middle) that drops STARTTLS must not get the password in clear
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case TLS -> p.put("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        if (c.security() != EmailSection.Security.NONE) {
            if (trust == null) {
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            } else {
                p.put("mail.smtp.ssl.socketFactory", trust);
                p.put("mail.smtp.ssl.checkserveridentity", "false");
            }
        }
        return p;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public Delivery send(Alert alert) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(config.from()));
            for (String to : config.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            message.setSubject(AlertTexts.subject(alert), StandardCharsets.UTF_8.name());
            message.setText(alert.text() + "\n\n(alert " + alert.id() + ", " + alert.condition() + ")", StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(alert.at()));
            message.saveChanges();
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(config.smtpHost(), config.smtpPort(), config.username(), config.username() == null ? null : password);
                transport.sendMessage(message, message.getAllRecipients());
            }
            return new Delivery(name(), alert.id(), message.getMessageID());
        } catch (AuthenticationFailedException e) {
            // Transient on purpose: a password gets fixed in its file and the outbox's next try goes through.
            throw new NotifierException("SMTP server " + server() + " refused the login of " + config.username()
                    + "; check username and passwordFile", false, null);
        } catch (SendFailedException e) {
            throw new NotifierException("SMTP server " + server() + " refused the recipients (" + clean(e) + "); check alerts.email.to", true, null);
        } catch (MessagingException e) {
            throw new NotifierException("email via " + server() + " failed (" + clean(e) + "); will retry", false, null);
        }
    }

    private String server() {
        return config.smtpHost() + ":" + config.smtpPort();
    }

    /** The exception's text without the password, should a server ever echo it. */
    private String clean(MessagingException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ").strip();
        if (e.getNextException() != null && e.getNextException().getMessage() != null) {
            text += ": " + e.getNextException().getMessage();
        }
        return password == null || password.isEmpty() ? text : text.replace(password, "***");
    }
}
