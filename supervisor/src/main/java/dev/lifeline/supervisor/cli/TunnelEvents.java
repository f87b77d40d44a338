package dev.lifeline.supervisor.cli;

import java.time.Clock;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;
import dev.lifeline.supervisor.tunnel.TunnelListener;

/** The tunnels' events that need a person, into the one event seam. */
final class TunnelEvents implements TunnelListener {
    private final EventSink events;
    private final Clock clock;
    private final java.util.Map<String, String> lastPresented = new java.util.concurrent.ConcurrentHashMap<>();

    TunnelEvents(EventSink events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void hostKeyMismatch(String tunnel, String expectedFingerprint, String presentedFingerprint) {
        // The tunnel retries every 30 s; an alert that cannot be folded away (it is urgent) must come once per
        // key presented, not once per retry.
        if (presentedFingerprint.equals(lastPresented.put(tunnel, presentedFingerprint))) {
            return;
        }
        events.publish(new Event(clock.instant(), Event.Kind.HOST_KEY_MISMATCH, "tunnel." + tunnel + ".hostkey",
                "tunnel " + tunnel + ": the bastion presented host key " + presentedFingerprint + ", pinned is " + expectedFingerprint
                        + "; not connecting (a rebuilt bastion needs lifeline import; anything else may be an attack)"));
    }

    @Override
    public void stateChanged(dev.lifeline.supervisor.tunnel.TunnelState state) {
        if (state.isUp()) {
            lastPresented.remove(state.name());
        }
    }

    @Override
    public void forwardRefused(String tunnel, int count) {
        events.publish(new Event(clock.instant(), Event.Kind.FORWARD_REFUSED, "tunnel." + tunnel + ".forward",
                "tunnel " + tunnel + ": the bastion refused its port " + count + " times in a row"));
    }

    @Override
    public void authRefused(String tunnel) {
        events.publish(new Event(clock.instant(), Event.Kind.AUTH_REFUSED, "tunnel." + tunnel + ".auth",
                "tunnel " + tunnel + ": the bastion refused its key; check that the stack's tunnel key matches"));
    }
}
