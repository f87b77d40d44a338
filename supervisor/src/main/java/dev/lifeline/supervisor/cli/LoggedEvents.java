package dev.lifeline.supervisor.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.supervisor.event.Event;
import dev.lifeline.supervisor.event.EventSink;

/** Until alerts exist (a later issue), every event that needs a person is one loud log line. */
final class LoggedEvents implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger("dev.lifeline.supervisor.event");

    @Override
    public void publish(Event e) {
        switch (e.kind()) {
            case BASTION_CONTROL_FAILED, HOST_KEY_MISMATCH, AUTH_REFUSED, FORWARD_REFUSED, BACKUP_PROBLEM, OUTAGE_STARTED ->
                    LOG.warn("EVENT {} [{}] {}", e.kind(), e.condition(), e.text());
            default -> LOG.info("EVENT {} [{}] {}", e.kind(), e.condition(), e.text());
        }
    }
}
