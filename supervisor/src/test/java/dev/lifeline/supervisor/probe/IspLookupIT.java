package dev.lifeline.supervisor.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.lifeline.supervisor.testing.RealDnsmasq;
import dev.lifeline.templates.testing.FreePorts;

/** Both ISP lookups against real servers on loopback: WireMock shaped like Cloudflare's /meta, dnsmasq like Cymru. */
class IspLookupIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String META = """
            {"hostname":"speed.cloudflare.com","clientIp":"198.18.0.77","httpProtocol":"HTTP/1.1","asn":14593,
             "asOrganization":"Starlink","colo":"FRA","country":"DE","city":"Frankfurt am Main"}""";
    private WireMockServer wiremock;

    @BeforeEach
    void startWireMock() {
        wiremock = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        wiremock.start();
    }

    @AfterEach
    void stopWireMock() {
        wiremock.stop();
    }

    @Test
    void cloudflareMetaGivesNameAsnAndIpFromABoundRequest() {
        wiremock.stubFor(get("/meta").willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(META)));

        IspIdentity isp = IspLookups.parse(wiremock.baseUrl() + "/meta", "127.0.0.2", TIMEOUT).lookup();

        assertThat(isp).isEqualTo(new IspIdentity("Starlink", 14593L, "198.18.0.77"));
        wiremock.verify(1, getRequestedFor(urlEqualTo("/meta")).withHeader("Accept", equalTo("application/json")));
        assertThat(wiremock.getAllServeEvents().get(0).getRequest().getClientIp()).isEqualTo("127.0.0.2");
    }

    @Test
    void otherFieldNamesAreSetAfterTheHashAndAnAsnTextIsRead() {
        wiremock.stubFor(get("/json").willReturn(aResponse().withBody("{\"ip\":\"198.18.0.9\",\"org\":\"AS3320 Deutsche Telekom AG\"}")));

        IspIdentity isp = IspLookups.parse(wiremock.baseUrl() + "/json#name=org&asn=org&ip=ip", null, TIMEOUT).lookup();

        assertThat(isp).isEqualTo(new IspIdentity("AS3320 Deutsche Telekom AG", 3320L, "198.18.0.9"));
        wiremock.verify(getRequestedFor(urlEqualTo("/json")));
    }

    @Test
    void anAnswerWithoutTheNameFieldSaysWhichFieldIsMissing() {
        wiremock.stubFor(get("/meta").willReturn(aResponse().withBody("{\"clientIp\":\"198.18.0.77\"}")));

        assertThatThrownBy(() -> IspLookups.parse(wiremock.baseUrl() + "/meta", null, TIMEOUT).lookup())
                .isInstanceOf(ProbeException.class).hasMessageContaining("without a text field 'asOrganization'");
    }

    @Test
    void anErrorStatusAndANetworkFailureAreProbeExceptions() {
        wiremock.stubFor(get("/meta").willReturn(aResponse().withStatus(500)));

        assertThatThrownBy(() -> IspLookups.parse(wiremock.baseUrl() + "/meta", null, TIMEOUT).lookup())
                .isInstanceOf(ProbeException.class).hasMessageContaining("answered HTTP 500");
        assertThatThrownBy(() -> IspLookups.parse("http://127.0.0.1:" + FreePorts.next() + "/meta", null, TIMEOUT).lookup())
                .isInstanceOf(ProbeException.class).hasMessageContaining("failed");
    }

    @Test
    void dnsAsnFindsTheIpThenTheAsnThenTheName() {
        try (RealDnsmasq dns = RealDnsmasq.start(List.of("--address=/myip.opendns.com/198.18.0.77",
                "--txt-record=77.0.18.198.origin.asn.cymru.com,\"64500 | 198.18.0.0/15 | ZZ | test | 2020-01-01\"",
                "--txt-record=AS64500.asn.cymru.com,\"64500 | ZZ | test | 2020-01-01 | LIFELINE-TEST - Lifeline Test ISP, ZZ\""))) {

            IspIdentity isp = IspLookups.parse("dns-asn://127.0.0.1:" + dns.port(), "127.0.0.2", TIMEOUT).lookup();

            assertThat(isp).isEqualTo(new IspIdentity("LIFELINE-TEST - Lifeline Test ISP, ZZ", 64500L, "198.18.0.77"));
            assertThat(dns.log()).contains("query[A] myip.opendns.com from 127.0.0.2")
                    .contains("query[TXT] 77.0.18.198.origin.asn.cymru.com from 127.0.0.2")
                    .contains("query[TXT] AS64500.asn.cymru.com from 127.0.0.2");
        }
    }

    @Test
    void dnsAsnWithoutAnOriginRecordSaysWhichQuestionWentUnanswered() {
        try (RealDnsmasq dns = RealDnsmasq.start(List.of("--address=/myip.opendns.com/198.18.0.78"))) {
            assertThatThrownBy(() -> IspLookups.parse("dns-asn://127.0.0.1:" + dns.port(), null, TIMEOUT).lookup())
                    .isInstanceOf(ProbeException.class)
                    .hasMessageContaining("78.0.18.198.origin.asn.cymru.com TXT at 127.0.0.1:" + dns.port() + " gave no answer");
        }
    }

    @Test
    void badSpecsNameTheProblem() {
        assertThatThrownBy(() -> IspLookups.parse("whois", null, TIMEOUT)).hasMessageContaining("dns-asn://208.67.222.222");
        assertThatThrownBy(() -> IspLookups.parse("dns-asn://resolver.example", null, TIMEOUT)).hasMessageContaining("must be an IP address");
        assertThatThrownBy(() -> IspLookups.parse("https://x.example/meta#org=org", null, TIMEOUT)).hasMessageContaining("'org=org' is not one of");
    }
}
