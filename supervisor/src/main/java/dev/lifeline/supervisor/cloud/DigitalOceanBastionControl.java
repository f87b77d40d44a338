package dev.lifeline.supervisor.cloud;

import java.time.Duration;
import java.util.List;

import com.myjeeva.digitalocean.DigitalOcean;
import com.myjeeva.digitalocean.exception.DigitalOceanException;
import com.myjeeva.digitalocean.exception.RequestUnsuccessfulException;
import com.myjeeva.digitalocean.impl.DigitalOceanClient;
import com.myjeeva.digitalocean.pojo.Droplet;
import com.myjeeva.digitalocean.pojo.Network;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;

import dev.lifeline.supervisor.cloud.BastionStatus.State;
import dev.lifeline.supervisor.settings.ConfigException;
import dev.lifeline.supervisor.settings.SecretFile;

/**
 * The bastion as one droplet, powered on and off through droplet actions. A powered-off droplet is still billed
 * in full (DigitalOcean bills until it is destroyed); powering off only keeps the attack surface small.
 *
 * <p>Retries (Failsafe): 429 waits what {@code Retry-After} says (capped), 5xx and network errors back off
 * exponentially; 401, 403 and 404 are permanent. Calls are serialised because the last {@code Retry-After} is
 * read from the shared HTTP client right after the call that received it.
 *
 * <p>The token lives only in the myjeeva client's headers. None of that client's exceptions is ever passed on as
 * a cause, and the texts we take from it are scrubbed of the token, so no stack trace or message can carry it.
 */
final class DigitalOceanBastionControl implements BastionControl {
    private final DigitalOceanSection section;
    private final int dropletId;
    private final String token;
    private final DigitalOceanHttp http;
    private final DigitalOcean api;
    private final RetryPolicy<Object> retries;
    private final CloudSettings settings;
    private final StatusPoller poller;

    DigitalOceanBastionControl(DigitalOceanSection section, CloudSettings settings) {
        if (section.dropletId() > Integer.MAX_VALUE) {
            throw new ConfigException("bastion.digitalocean.dropletId " + section.dropletId() + " is larger than DigitalOcean's droplet ids; check the instanceId stack output");
        }
        this.section = section;
        this.settings = settings;
        this.dropletId = (int) section.dropletId();
        this.token = SecretFile.token("bastion.digitalocean.tokenFile", section.tokenFile(), 1);
        this.http = new DigitalOceanHttp(section.endpoint(), settings);
        this.api = new DigitalOceanClient("v2", token, http.client());
        this.poller = new StatusPoller(settings.pollInterval());
        this.retries = RetryPolicy.builder()
                .handle(Transient.class)
                .withMaxRetries(settings.maxAttempts() - 1)
                .withDelayFn(ctx -> delayAfter(ctx.getLastException(), ctx.getAttemptCount()))
                .build();
    }

    @Override
    public String describe() {
        return "digitalocean droplet " + dropletId;
    }

    @Override
    public synchronized BastionStatus status() {
        Droplet d = call("get droplet", () -> api.getDropletInfo(dropletId));
        String word = d.getStatus() == null ? "unknown" : d.getStatus().toString();
        return new BastionStatus(String.valueOf(dropletId), state(word), publicIp(d), word);
    }

    /** Checks first: DigitalOcean answers 422 to power_on on a running droplet, and a running bastion is no error. */
    @Override
    public synchronized void start() {
        BastionStatus now = status();
        if (now.state() == State.GONE) {
            throw new CloudException(describe() + " is archived: nothing to power on; recreate it with pulumi up", true, null);
        }
        if (!now.state().isOnOrComing()) {
            call("power_on", () -> api.powerOnDroplet(dropletId));
        }
    }

    @Override
    public synchronized void stop() {
        BastionStatus now = status();
        if (!now.state().isOffOrGoing() && now.state() != State.GONE) {
            call("power_off", () -> api.powerOffDroplet(dropletId));
        }
    }

    @Override
    public BastionStatus await(State wanted, Duration timeout) {
        return poller.await(this::status, wanted, timeout);
    }

    @Override
    public void close() {
        http.close();
    }

    static State state(String word) {
        return switch (word) {
            case "active" -> State.RUNNING;
            case "off" -> State.STOPPED;
            case "new" -> State.STARTING;
            case "archive" -> State.GONE;
            default -> State.UNKNOWN;
        };
    }

    private static String publicIp(Droplet d) {
        if (d.getNetworks() == null) {
            return null;
        }
        List<Network> v4 = d.getNetworks().getVersion4Networks();
        return v4 == null ? null : v4.stream().filter(n -> "public".equals(n.getType())).map(Network::getIpAddress)
                .findFirst().orElse(null);
    }

    private Duration delayAfter(Throwable failure, int attempts) {
        if (failure instanceof Transient t && t.status == 429) {
            Duration wait = http.lastRetryAfter().orElse(settings.backoffBase());
            return wait.compareTo(settings.retryAfterCap()) > 0 ? settings.retryAfterCap() : wait;
        }
        Duration backoff = settings.backoffBase().multipliedBy(1L << Math.min(16, Math.max(0, attempts - 1)));
        return backoff.compareTo(settings.backoffCap()) > 0 ? settings.backoffCap() : backoff;
    }

    private <T> T call(String what, CheckedSupplier<T> request) {
        try {
            return Failsafe.with(retries).get(() -> attempt(what, request));
        } catch (Transient t) {
            throw new CloudException(describe() + " " + what + ": " + t.getMessage() + " after " + settings.maxAttempts()
                    + " attempts; will retry later", false, null);
        } catch (FailsafeException e) {
            throw new CloudException(describe() + " " + what + ": failed (" + e.getClass().getSimpleName() + ")", false, null);
        }
    }

    private <T> T attempt(String what, CheckedSupplier<T> request) throws Throwable {
        try {
            return request.get();
        } catch (DigitalOceanException e) {
            throw classify(what, e.getHttpStatusCode(), e.getId());
        } catch (RequestUnsuccessfulException e) {
            throw new Transient(0, "cannot reach the DigitalOcean API" + (section.endpoint() == null ? "" : " at " + section.endpoint())
                    + " (" + scrub(rootName(e)) + ")");
        }
    }

    private RuntimeException classify(String what, int status, String errorId) {
        String ref = " (HTTP " + status + (errorId == null || errorId.isBlank() ? "" : " " + scrub(errorId)) + ")";
        String call = describe() + " " + what + ": ";
        return switch (status) {
            case 401 -> new CloudException(call + "DigitalOcean refused the API token" + ref + ": put a valid token with write scope in "
                    + section.tokenFile() + " (chmod 600)", true, null);
            case 403 -> new CloudException(call + "the API token may not do this" + ref + ": give the token in "
                    + section.tokenFile() + " droplet read and write scope", true, null);
            case 404 -> new CloudException(call + "no such droplet" + ref + "; check bastion.digitalocean.dropletId (the instanceId stack output of a DigitalOcean stack)", true, null);
            case 429 -> new Transient(status, "DigitalOcean is rate-limiting" + ref);
            default -> status >= 500 ? new Transient(status, "DigitalOcean is failing" + ref)
                    : new CloudException(call + "DigitalOcean refused the request" + ref, true, null);
        };
    }

    private String scrub(String text) {
        return text == null ? "" : text.replace(token, "[token]");
    }

    private static String rootName(Throwable e) {
        Throwable root = e;
        for (int depth = 0; depth < 10 && root.getCause() != null; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    /** A failure worth another attempt; never leaves this class (it becomes a transient CloudException). */
    private static final class Transient extends RuntimeException {
        final int status;

        Transient(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
