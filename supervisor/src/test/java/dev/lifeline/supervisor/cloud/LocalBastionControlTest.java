package dev.lifeline.supervisor.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.templates.testing.FreePorts;

class LocalBastionControlTest {
    private static final CloudSettings FAST = CloudSettings.DEFAULTS.withPollInterval(Duration.ofMillis(50));

    @Test
    void aListeningPortIsRunningAndAClosedOneStopped() throws Exception {
        try (ServerSocket bastion = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            BastionControl control = new LocalBastionControl("127.0.0.1", bastion.getLocalPort(), FAST, LocalHooks.NONE);

            assertThat(control.status().state()).isEqualTo(State.RUNNING);

            bastion.close();
            assertThat(control.await(State.STOPPED, Duration.ofSeconds(2)).state()).isEqualTo(State.STOPPED);
        }
    }

    @Test
    void startAndStopRunTheCallersHooksAndAwaitSeesTheirEffect() throws Exception {
        int port = FreePorts.next();
        AtomicInteger stops = new AtomicInteger();
        ServerSocket[] bastion = new ServerSocket[1];
        LocalHooks hooks = new LocalHooks(() -> {
            try {
                bastion[0] = new ServerSocket(port, 5, InetAddress.getByName("127.0.0.1"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, () -> {
            stops.incrementAndGet();
            try {
                bastion[0].close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        BastionControl control = new LocalBastionControl("127.0.0.1", port, FAST, hooks);
        assertThat(control.status().state()).isEqualTo(State.STOPPED);

        control.start();
        assertThat(control.await(State.RUNNING, Duration.ofSeconds(2)).state()).isEqualTo(State.RUNNING);

        control.stop();
        assertThat(control.await(State.STOPPED, Duration.ofSeconds(2)).state()).isEqualTo(State.STOPPED);
        assertThat(stops).hasValue(1);
    }

    @Test
    void withoutHooksStartIsANoOp() {
        int port = FreePorts.next();
        BastionControl control = new LocalBastionControl("127.0.0.1", port, FAST, LocalHooks.NONE);

        control.start();

        assertThat(control.await(State.RUNNING, Duration.ofMillis(300)).state()).as("nothing was started").isEqualTo(State.STOPPED);
    }
}
