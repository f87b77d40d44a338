package dev.lifeline.supervisor.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import dev.lifeline.supervisor.cloud.BastionControl;
import dev.lifeline.supervisor.cloud.BastionStatus;
import dev.lifeline.supervisor.cloud.CloudException;

/**
 * A cloud provider for simulated-time policy tests, in the role moto and WireMock play in real-time ones: it counts
 * the start and stop calls it receives, changes state at once, and fails the calls a test scripts to fail.
 */
public final class SimulatedCloud implements BastionControl {
    private BastionStatus.State state;
    private int startCalls;
    private int stopCalls;
    private int statusCalls;
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private boolean loseNextAnswer;

    public SimulatedCloud(BastionStatus.State initial) {
        this.state = initial;
    }

    /** The next calls (of any kind) fail with these, in order. */
    public synchronized SimulatedCloud failNext(RuntimeException... errors) {
        failures.addAll(java.util.List.of(errors));
        return this;
    }

    /** Someone ran `lifeline bastion start|stop` or used the cloud console. */
    public synchronized void changedByHand(BastionStatus.State now) {
        state = now;
    }

    /** The next start or stop goes through at the provider, but its answer is lost on the way back. */
    public synchronized SimulatedCloud loseNextAnswer() {
        loseNextAnswer = true;
        return this;
    }

    private void answerOrLose() {
        if (loseNextAnswer) {
            loseNextAnswer = false;
            throw new CloudException("EC2 did not answer within 60 s", false, null);
        }
    }

    @Override
    public String describe() {
        return "simulated i-0sim";
    }

    @Override
    public synchronized BastionStatus status() {
        statusCalls++;
        throwIfScripted();
        return new BastionStatus("i-0sim", state, state == BastionStatus.State.RUNNING ? "198.18.0.10" : null, state.name().toLowerCase());
    }

    @Override
    public synchronized void start() {
        throwIfScripted();
        startCalls++;
        state = BastionStatus.State.RUNNING;
        answerOrLose();
    }

    @Override
    public synchronized void stop() {
        throwIfScripted();
        stopCalls++;
        state = BastionStatus.State.STOPPED;
        answerOrLose();
    }

    @Override
    public synchronized BastionStatus await(BastionStatus.State wanted, Duration timeout) {
        return new BastionStatus("i-0sim", state, null, state.name().toLowerCase());
    }

    private void throwIfScripted() {
        RuntimeException e = failures.poll();
        if (e != null) {
            throw e;
        }
    }

    public synchronized int startCalls() {
        return startCalls;
    }

    public synchronized int stopCalls() {
        return stopCalls;
    }

    public synchronized int statusCalls() {
        return statusCalls;
    }

    public synchronized BastionStatus.State state() {
        return state;
    }
}
