package dev.lifeline.supervisor.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * WireMock on 127.0.0.1 playing the alert providers: one path per channel, each answering a status the test sets,
 * and the request journal read back as the alerts each channel was sent.
 */
public final class AlertReceiver implements AutoCloseable {
    public static final String TOKEN = "test-token-7f3a9c-never-in-logs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    public AlertReceiver() {
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public HttpTestChannel channel(String name) {
        return new HttpTestChannel(name, URI.create(baseUrl() + "/" + name), TOKEN);
    }

    /** From now on channel {@code name} answers {@code status} (the latest answer set wins). */
    public void answer(String name, int status) {
        server.stubFor(post(urlEqualTo("/" + name)).willReturn(aResponse().withStatus(status)
                .withHeader(HttpTestChannel.RECEIPT_HEADER, "SM" + name + status).withBody("{}")));
    }

    /** What channel {@code name} was sent, oldest first. */
    public List<Received> received(String name) {
        return server.findAll(postRequestedFor(urlEqualTo("/" + name))).stream().map(r -> {
            try {
                JsonNode n = JSON.readTree(r.getBodyAsString());
                return new Received(n.get("id").asText(), n.get("severity").asText(), n.get("text").asText(),
                        r.getHeader("Authorization"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** How often each alert id reached channel {@code name}. */
    public Map<String, Long> countsById(String name) {
        return received(name).stream().collect(Collectors.groupingBy(Received::id, Collectors.counting()));
    }

    public void forgetRequests() {
        server.resetRequests();
    }

    public record Received(String id, String severity, String text, String authorization) {
    }

    @Override
    public void close() {
        server.stop();
    }
}
