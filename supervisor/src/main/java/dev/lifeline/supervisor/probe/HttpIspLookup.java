package dev.lifeline.supervisor.probe;

import java.io.IOException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks a web service that reports the caller's ISP as JSON, by default Cloudflare's speed-test metadata
 * ({@code {"asOrganization":"…","asn":13335,"clientIp":"…",…}}). Field names are settings because other services
 * (ipinfo.io, ip-api.com) say the same with other words.
 */
final class HttpIspLookup implements IspLookup {
    static final String CLOUDFLARE_META = "https://speed.cloudflare.com/meta";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which JSON fields hold the name, the AS number (a number, or text like "AS13335") and the public IP. */
    record Fields(String name, String asn, String ip) {
        static final Fields CLOUDFLARE = new Fields("asOrganization", "asn", "clientIp");

        Fields {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the JSON field holding the ISP name is required");
            }
        }
    }

    private final String url;
    private final Fields fields;
    private final OkHttpClient client;

    HttpIspLookup(String url, Fields fields, SourceAddress source, Duration timeout) {
        this.url = url;
        this.fields = fields;
        this.client = BoundHttp.client(source, timeout, timeout);
    }

    @Override
    public IspIdentity lookup() {
        Request request = new Request.Builder().url(url).header("Accept", "application/json")
                .header("User-Agent", "lifeline-isp-lookup").build();
        String body;
        try (Response response = client.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new ProbeException("ISP lookup at " + url + " answered HTTP " + response.code() + " (expected 200 with JSON)");
            }
            body = response.body().string();
        } catch (IOException e) {
            throw new ProbeException("ISP lookup at " + url + " failed: " + e.getMessage(), e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new ProbeException("ISP lookup at " + url + " did not answer JSON: " + abbreviate(body), e);
        }
        JsonNode name = json.path(fields.name());
        if (!name.isTextual() || name.asText().isBlank()) {
            throw new ProbeException("ISP lookup at " + url + " answered without a text field '" + fields.name()
                    + "' (got " + abbreviate(body) + "); set the field names that service uses");
        }
        return new IspIdentity(name.asText().trim(), asn(json), text(json, fields.ip()));
    }

    private Long asn(JsonNode json) {
        JsonNode n = fields.asn() == null ? null : json.get(fields.asn());
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.canConvertToLong()) {
            return n.asLong();
        }
        String t = n.asText().trim().toUpperCase();
        t = t.startsWith("AS") ? t.substring(2) : t;
        try {
            return Long.parseLong(t.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            throw new ProbeException("ISP lookup at " + url + ": field '" + fields.asn() + "' is not an AS number (got '"
                    + n.asText() + "')");
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = field == null ? null : json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    @Override
    public String toString() {
        return "HttpIspLookup[" + url + "]";
    }
}
