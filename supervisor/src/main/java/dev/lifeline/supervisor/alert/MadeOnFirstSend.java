package dev.lifeline.supervisor.alert;

import java.util.function.Supplier;

/**
 * A channel whose client (Twilio's SDK, Jakarta Mail's session) is made when the first alert goes out, not at start: a
 * home that never alerts never loads those libraries. What the config says, the secret files included, is read and
 * checked at start as before; only the client object waits.
 */
final class MadeOnFirstSend implements Notifier {
    private final String name;
    private final Supplier<Notifier> make;
    private Notifier made;

    MadeOnFirstSend(String name, Supplier<Notifier> make) {
        this.name = name;
        this.make = make;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery send(Alert alert) {
        return channel().send(alert);
    }

    private synchronized Notifier channel() {
        if (made == null) {
            made = make.get();
        }
        return made;
    }
}
