package dev.lifeline.supervisor.alert;

/** A channel accepted an alert. {@code receipt}: its own id for the message (Twilio SID, Message-ID, …). */
public record Delivery(String channel, String alertId, String receipt) {
}
