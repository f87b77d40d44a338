package dev.lifeline.templates.spec;

/** A remote syslog receiver the bastion forwards every log line to. */
public record LogTarget(String protocol, String host, int port) {

    public boolean tcp() {
        return protocol.equals("tcp");
    }

    @Override
    public String toString() {
        return protocol + "://" + host + ":" + port;
    }
}
