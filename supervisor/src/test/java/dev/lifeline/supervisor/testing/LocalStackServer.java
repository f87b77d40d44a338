package dev.lifeline.supervisor.testing;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import com.github.dockerjava.api.exception.NotFoundException;

/**
 * LocalStack's EC2 in a container, through Testcontainers, on the Docker engine that {@code ci/docker.sh start} runs.
 * No registry is reachable here, so the image is never pulled: ci/docker.sh builds it from ci/localstack/ and names
 * it in {@code LIFELINE_LOCALSTACK_IMAGE} (with DOCKER_HOST and Testcontainers' settings, in
 * /run/lifeline-ci/docker.env, which ci/test.sh exports). Without it a test is skipped on a workstation and fails
 * under {@code CI=true}, like {@code MotoServer}.
 */
public final class LocalStackServer implements AutoCloseable {
    static final String IMAGE_ENV = "LIFELINE_LOCALSTACK_IMAGE";
    /** LocalStack prints "Ready." within seconds; the bound is for two cores shared with other builds. */
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

    private final LocalStackContainer container;

    private LocalStackServer(LocalStackContainer container) {
        this.container = container;
    }

    public static LocalStackServer start() {
        String image = System.getenv(IMAGE_ENV);
        if (image == null || image.isBlank()) {
            unavailable(IMAGE_ENV + " is not set: `ci/docker.sh start` (root) builds the LocalStack image and writes "
                    + "it, DOCKER_HOST and Testcontainers' settings to /run/lifeline-ci/docker.env; export that file");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            unavailable("no Docker engine reachable at DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + "; `ci/docker.sh start` runs one");
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            unavailable("image " + image + " is not in the Docker engine at " + System.getenv("DOCKER_HOST")
                    + "; `ci/docker.sh start` builds it (no registry is reachable to pull it from)");
        }
        // The tag starts with LocalStack's version (4.13.1-<hash of ci/localstack>): Testcontainers reads it to use
        // the single edge port 4566; a tag that is not a version would put it in the port-per-service mode of
        // LocalStack < 0.11.
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image))
                .withServices(LocalStackContainer.Service.EC2)
                .withImagePullPolicy(name -> false)   // never pull: a missing image is an error, not a download
                .withStartupTimeout(STARTUP_TIMEOUT);
        try {
            container.start();
        } catch (RuntimeException e) {
            String logs = container.getContainerId() == null ? "(no container)" : container.getLogs();
            container.stop();
            throw new IllegalStateException("LocalStack (" + image + ") did not start; its log:\n" + logs, e);
        }
        return new LocalStackServer(container);
    }

    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        System.err.println("SKIPPED: LocalStack scenarios: " + why + " (moto ran the same scenarios)");
        Assumptions.abort(why);
    }

    /** LocalStack's edge endpoint, on 127.0.0.1 (TESTCONTAINERS_HOST_OVERRIDE) at the port Docker published. */
    public URI endpoint() {
        return container.getEndpoint();
    }

    public String logs() {
        return container.getLogs();
    }

    /** Stops and removes the container (Testcontainers does both; ci/docker.sh stop removes any left over). */
    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "LocalStack " + container.getDockerImageName() + " in container "
                + (container.getContainerId() == null ? "(none)" : container.getContainerId().substring(0, 12))
                + (container.isRunning() ? " at " + endpoint() : " (stopped)");
    }
}
