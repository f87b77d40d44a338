package dev.lifeline.supervisor.event;

/** The one seam events leave their package through. Must not block. */
@FunctionalInterface
public interface EventSink {
    void publish(Event event);
}
