package dev.lifeline.supervisor.alert;

import java.util.function.Supplier;

import dev.lifeline.supervisor.settings.OnFirstUse;

/**
 * A channel whose client (Twilio's SDK, Jakarta Mail's session) is made when the first alert goes out, not at start: a
 * home that never alerts never loads those libraries. What the config says, the secret files included, is read and
 * checked at start as before; only the client object waits.
 */
final class MadeOnFirstSend implements Notifier {
    private final String name;
    private final OnFirstUse<Notifier> channel;

    MadeOnFirstSend(String name, Supplier<Notifier> make) {
        this.name = name;
        this.channel = new OnFirstUse<>(make);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery send(Alert alert) {
        return channel.get().send(alert);
    }
}
