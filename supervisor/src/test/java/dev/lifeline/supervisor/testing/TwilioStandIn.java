package dev.lifeline.supervisor.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

/**
 * WireMock on 127.0.0.1 playing Twilio's Messages resource for one account, for tests that send through the real SDK
 * (a channel's {@code endpoint} pointed at {@link #endpoint()}). The answers have the shape of Twilio's: a created
 * message's {@code sid}, an error's {@code code} and {@code message}. Stubs beyond these go straight to {@link #wireMock()}.
 */
public final class TwilioStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accountSid;
    private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    public TwilioStandIn(String accountSid) {
        this.accountSid = accountSid;
        server.start();
    }

    /** Where the SDK posts a message for this account (it builds the path itself; only host and port are ours). */
    public String messagesPath() {
        return "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public WireMockServer wireMock() {
        return server;
    }

    /** A post of a message; narrow it (e.g. by form field) before stubbing. */
    public MappingBuilder messagePost() {
        return post(urlEqualTo(messagesPath()));
    }

    /** The posts of messages received, for {@code verify} and counts. */
    public RequestPatternBuilder messagesPosted() {
        return postRequestedFor(urlEqualTo(messagesPath()));
    }

    /** 201 with the created message, as Twilio answers a message it queued. */
    public ResponseDefinitionBuilder created(String sid) {
        ObjectNode body = JSON.createObjectNode().put("sid", sid).put("status", "queued").put("account_sid", accountSid);
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    /** From now on every message is queued as {@code sid}. */
    public void accepts(String sid) {
        server.stubFor(messagePost().willReturn(created(sid)));
    }

    /** From now on every message is refused with {@code status} and Twilio's error {@code code}. */
    public void refuses(int status, int code, String message) {
        ObjectNode body = JSON.createObjectNode().put("code", code).put("message", message).put("status", status);
        server.stubFor(messagePost().willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body.toString())));
    }

    @Override
    public void close() {
        server.stop();
    }
}
