package dev.lifeline.supervisor.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PingRequestTest {
    private static HeartbeatSection healthchecks(String url) {
        return new HeartbeatSection(URI.create(url), Duration.ofMinutes(1), null, HeartbeatSection.Format.HEALTHCHECKS);
    }

    private static HeartbeatSection kuma(String url) {
        return new HeartbeatSection(URI.create(url), Duration.ofMinutes(1), null, HeartbeatSection.Format.UPTIME_KUMA);
    }

    @Test
    void healthchecksIsAPostToThePingUrlWithTheReasonAsBodyAndFailAppendedOnTrouble() {
        HeartbeatSection hc = healthchecks("https://hc-ping.com/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278");

        assertThat(PingRequest.of(hc, false, "all well"))
                .isEqualTo(new PingRequest(URI.create("https://hc-ping.com/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278"), "POST", "all well"));
        assertThat(PingRequest.of(hc, true, "outage: primary line down"))
                .isEqualTo(new PingRequest(URI.create("https://hc-ping.com/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278/fail"), "POST",
                        "outage: primary line down"));
    }

    @Test
    void aTrailingSlashIsNotDoubledAndASlugUrlKeepsItsQuery() {
        assertThat(PingRequest.of(healthchecks("https://hc.example.org/ping/abc/"), true, "x").uri())
                .hasToString("https://hc.example.org/ping/abc/fail");
        assertThat(PingRequest.of(healthchecks("https://hc-ping.com/PINGKEY/home-pi?create=1"), true, "x").uri())
                .hasToString("https://hc-ping.com/PINGKEY/home-pi/fail?create=1");
    }

    @Test
    void uptimeKumaIsAGetWhoseQuerySaysUpOrDownWhateverThePastedUrlSaid() {
        HeartbeatSection k = kuma("https://kuma.example.net:3001/api/push/Ab12Cd34Ef?status=up&msg=OK&ping=");

        assertThat(PingRequest.of(k, false, "all well"))
                .isEqualTo(new PingRequest(URI.create("https://kuma.example.net:3001/api/push/Ab12Cd34Ef?status=up&msg=all+well"), "GET", null));
        assertThat(PingRequest.of(k, true, "outage: primary line down; backup line unhealthy: low speed").uri())
                .hasToString("https://kuma.example.net:3001/api/push/Ab12Cd34Ef?status=down&msg=outage%3A+primary+line+down%3B+backup+line+unhealthy%3A+low+speed");
        assertThat(PingRequest.of(kuma("https://k.example/api/push/T"), true, "x").uri()).hasToString("https://k.example/api/push/T?status=down&msg=x");
    }

    @Test
    void aLongReasonIsCut() {
        PingRequest p = PingRequest.of(healthchecks("https://hc-ping.com/u"), true, "x".repeat(1000));

        assertThat(p.body()).hasSize(PingRequest.MAX_TEXT);
    }
}
