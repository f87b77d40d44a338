package dev.lifeline.supervisor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.lifeline.templates.testing.Await;

/**
 * Headless chromium driven over the DevTools protocol: one page, a viewport of the test's choosing, scripts evaluated
 * in it, screenshots of what it drew. The protocol listens on loopback only (chromium's default for
 * {@code --remote-debugging-port}); port 0 lets chromium pick a free one and write it to {@code DevToolsActivePort} in
 * the profile. Every wait is bounded; close() stops the browser and every helper it spawned by PID.
 */
public final class DevToolsBrowser implements AutoCloseable {
    static final Duration START_BOUND = Duration.ofSeconds(60);
    static final Duration CALL_BOUND = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final Path output;
    private final Set<ProcessHandle> spawned = new HashSet<>();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;
    private int viewportWidth;

    private DevToolsBrowser(Process process, Path profile, Path output) {
        this.process = process;
        this.profile = profile;
        this.output = output;
    }

    static DevToolsBrowser launch(HeadlessChromium chromium) {
        Path profile;
        Path output;
        try {
            profile = Files.createTempDirectory("lifeline-chromium-");
            output = Files.createTempFile("lifeline-chromium-", ".out");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(chromium.flags(profile));
        command.addAll(List.of("--remote-debugging-port=0", "about:blank"));
        Process p;
        try {
            p = HeadlessChromium.processBuilder(command).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            HeadlessChromium.deleteTree(profile);
            throw new IllegalStateException("cannot run " + command, e);
        }
        DevToolsBrowser browser = new DevToolsBrowser(p, profile, output);
        try {
            browser.connect();
            return browser;
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    private void connect() {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        List<String> lines = List.of();
        while (lines.size() < 2) {
            remember();
            if (!process.isAlive()) {
                fail("chromium exited (" + process.exitValue() + ") before its DevTools port was open:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                fail("chromium opened no DevTools port within " + START_BOUND.toSeconds() + " s:\n" + log());
            }
            sleep(100);
            try {
                lines = Files.isRegularFile(portFile) ? Files.readAllLines(portFile) : List.of();
            } catch (IOException e) {
                lines = List.of();
            }
        }
        int port = Integer.parseInt(lines.get(0).strip());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            // The page chromium opened (about:blank) is the one to drive; the browser endpoint in the file is not a page.
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            String target = null;
            for (JsonNode t : JSON.readTree(list)) {
                if ("page".equals(t.path("type").asText())) {
                    target = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (target == null) {
                fail("chromium listed no page target: " + list);
            }
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(target), new Replies()).get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach chromium's DevTools on 127.0.0.1:" + port + ": " + e + "\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One protocol call, its result or a failure naming the method and chromium's error. */
    public JsonNode call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(message.toString(), true).get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
            JsonNode r = reply.get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                fail("DevTools " + method + " failed: " + r.get("error"));
            }
            return r.path("result");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("DevTools " + method + " got no answer within " + CALL_BOUND.toSeconds() + " s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Loads {@code page} in a viewport {@code width} × {@code height} CSS pixels, as a phone or a desktop window
     * shows it ({@code mobile}: the page's viewport meta tag applies, scrollbars overlay the page).
     */
    public void open(URI page, int width, int height, boolean mobile) {
        viewport(width, height, mobile);
        call("Page.navigate", Map.of("url", page.toString()));
    }

    /** Changes the viewport of the page already loaded: a phone turned sideways, a window resized. */
    public void viewport(int width, int height, boolean mobile) {
        viewportWidth = width;
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** The value of a script expression in the page (a promise is awaited); fails on a script error. */
    public JsonNode evaluate(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            fail("script failed in the page: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Polls {@code expression} until the page says true; the page's own timers keep running meanwhile. */
    public Duration awaitTrue(String what, String expression, Duration bound) {
        return Await.until(what, bound, () -> {
            sleep(100);
            // A script error counts as "not yet": the page may still be loading its first data.
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            return !r.has("exceptionDetails") && r.path("result").path("value").asBoolean(false);
        });
    }

    /** The whole page as drawn, top to bottom, as a PNG as wide as the viewport opened (device scale 1). */
    public Path screenshot(Path png) {
        JsonNode metrics = call("Page.getLayoutMetrics", Map.of());
        double height = Math.max(metrics.path("cssContentSize").path("height").asDouble(), metrics.path("cssLayoutViewport").path("clientHeight").asDouble());
        String data = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", viewportWidth, "height", height, "scale", 1))).path("data").asText();
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, Base64.getDecoder().decode(data));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + png, e);
        }
        return png;
    }

    /** What chromium printed, for a failure message. */
    public String log() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void remember() {
        process.descendants().forEach(spawned::add);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        remember();
        spawned.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HeadlessChromium.deleteTree(profile);
        try {
            Files.deleteIfExists(output);
        } catch (IOException ignored) {
            // a temp file; the OS cleans up
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Collects a message's fragments, then hands a reply to the call waiting for its id; events are dropped. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> waiting = m.has("id") ? pending.get(m.get("id").asInt()) : null;
                    if (waiting != null) {
                        waiting.complete(m);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
