package dev.lifeline.supervisor.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HealthResponderTest {
    @Test
    void answersEveryConnectionWithTheWatchdogsLineThenCloses() throws Exception {
        try (HealthResponder responder = HealthResponder.start()) {
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket("127.0.0.1", responder.address().getPort())) {
                    s.setSoTimeout(5000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    assertThat(in.readLine()).isEqualTo("lifeline ok");
                    assertThat(in.read()).as("closed after the line").isEqualTo(-1);
                }
            }
        }
    }
}
