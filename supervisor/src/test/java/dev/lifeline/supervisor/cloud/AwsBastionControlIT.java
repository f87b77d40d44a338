package dev.lifeline.supervisor.cloud;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import dev.lifeline.supervisor.testing.MotoServer;

/** {@link Ec2BastionScenarios} against moto (always) and LocalStack (where a Docker engine runs). */
class AwsBastionControlIT {

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AgainstMoto extends Ec2BastionScenarios {
        private MotoServer moto;

        @BeforeAll
        void startMoto() {
            moto = MotoServer.start();
        }

        @AfterAll
        void stopMoto() {
            if (moto != null) {
                moto.close();
            }
        }

        @Override
        URI endpoint() {
            return moto.endpoint();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AgainstLocalStack extends Ec2BastionScenarios {
        private LocalStackContainer localstack;

        @BeforeAll
        void startLocalStack() {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                String why = "LocalStack scenarios skipped: no Docker engine reachable (moto ran the same scenarios)";
                System.err.println("SKIPPED: " + why);
                Assumptions.abort(why);
            }
            localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
                    .withServices(LocalStackContainer.Service.EC2);
            localstack.start();
        }

        @AfterAll
        void stopLocalStack() {
            if (localstack != null) {
                localstack.stop();
            }
        }

        @Override
        URI endpoint() {
            return localstack.getEndpoint();
        }
    }
}
