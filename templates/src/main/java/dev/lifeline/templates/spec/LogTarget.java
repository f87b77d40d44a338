package dev.lifeline.templates.spec;

/** A remote syslog receiver the bastion forwards every log line to. */
public record LogTarget(String protocol, String host, int port) {

    public boolean tcp() {
        return protocol.equals("tcp") || protocol.equals("tls");
    }

    /** Encrypted, and the receiver's certificate is checked against the system CAs and the host name. */
    public boolean tls() {
        return protocol.equals("tls");
    }

    @Override
    public String toString() {
        return protocol + "://" + host + ":" + port;
    }
}
