package dev.lifeline.supervisor.status;

import java.util.ArrayDeque;
import java.util.List;

/** A bounded FIFO: adding past the capacity drops the oldest, so a daemon that runs for months keeps constant memory. */
final class Ring<T> {
    private final ArrayDeque<T> items;
    private final int capacity;

    Ring(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be ≥ 1 (got " + capacity + ")");
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void add(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
    }

    T last() {
        return items.peekLast();
    }

    List<T> toList() {
        return List.copyOf(items);
    }

    int size() {
        return items.size();
    }

    int capacity() {
        return capacity;
    }
}
