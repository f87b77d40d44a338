package dev.lifeline.supervisor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;


/** A real SMTP server in-process (GreenMail on 127.0.0.1): plain, STARTTLS and implicit TLS, with a login. */
class EmailSenderTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup[] {
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("lifeline", Channels.SMTP_PASSWORD))
            .withPerMethodLifecycle(true);

    /** Trusts exactly GreenMail's own certificate; its name is not 127.0.0.1, so the name check is off in tests only. */
    static SSLSocketFactory trustGreenMailOnly() throws Exception {
        KeyStore greenmail = KeyStore.getInstance("PKCS12");
        try (InputStream in = GreenMailExtension.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            greenmail.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Certificate cert = greenmail.getCertificate(greenmail.aliases().nextElement());
        trust.setCertificateEntry("greenmail", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls.getSocketFactory();
    }

    private EmailSender sender(int port, EmailSection.Security security, String password) throws Exception {
        return new EmailSender(Channels.email(port, security), password, Duration.ofSeconds(5), trustGreenMailOnly());
    }

    @Test
    void anAlertArrivesOverImplicitTlsWithItsFirstLineAsSubject() throws Exception {
        Delivery d = sender(SMTP.getSmtps().getPort(), EmailSection.Security.TLS, Channels.SMTP_PASSWORD)
                .send(Channels.alert("lifeline: primary line DOWN\nsince 22:04, 3 probes of 3 failed"));

        MimeMessage[] got = SMTP.getReceivedMessages();
        assertThat(got).hasSize(1);
        assertThat(got[0].getSubject()).isEqualTo("lifeline: primary line DOWN");
        assertThat(got[0].getContent().toString()).contains("since 22:04, 3 probes of 3 failed");
        assertThat(got[0].getAllRecipients()[0].toString()).isEqualTo("admin@example.com");
        assertThat(d.receipt()).isEqualTo(got[0].getMessageID()).startsWith("<");
    }

    @Test
    void aLocalRelayWithoutEncryptionTakesTheAlertWithALogin() throws Exception {
        sender(SMTP.getSmtp().getPort(), EmailSection.Security.NONE, Channels.SMTP_PASSWORD).send(Channels.alert("lifeline: bastion started"));

        assertThat(SMTP.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("lifeline: bastion started");
    }

    @Test
    void aWrongPasswordIsTransientAndNeverShowsAPassword() throws Exception {
        String wrong = "wrong-pw-Xy7never-shown";

        NotifierException e = catchThrowableOfType(NotifierException.class,
                () -> sender(SMTP.getSmtps().getPort(), EmailSection.Security.TLS, wrong).send(Channels.alert("x")));

        assertThat(e.permanent()).as("a password gets fixed; the outbox retries").isFalse();
        assertThat(e.getMessage()).contains("refused the login of lifeline").contains("passwordFile").doesNotContain(wrong);
        TwilioSmsTest.assertNoToken(e);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void startTlsIsRequiredSoAServerWithoutItNeverGetsThePassword() throws Exception {
        // GreenMail's plain SMTP offers no STARTTLS: exactly what a downgrading man in the middle would look like.
        NotifierException e = catchThrowableOfType(NotifierException.class,
                () -> sender(SMTP.getSmtp().getPort(), EmailSection.Security.STARTTLS, Channels.SMTP_PASSWORD).send(Channels.alert("x")));

        assertThat(e.permanent()).isFalse();
        assertThat(e.getMessage()).contains("STARTTLS is required").doesNotContain(Channels.SMTP_PASSWORD);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }
}
