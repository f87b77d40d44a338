package dev.lifeline.supervisor.cloud;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

import dev.lifeline.supervisor.testing.LocalStackServer;
import dev.lifeline.templates.testing.MotoServer;

/**
 * {@link Ec2BastionScenarios} against two EC2 emulators: moto, and LocalStack in Docker (ci/docker.sh runs the engine
 * and builds the image; under CI=true neither may be missing).
 */
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
        private LocalStackServer localstack;

        @BeforeAll
        void startLocalStack() {
            localstack = LocalStackServer.start();
        }

        @AfterAll
        void stopLocalStack() {
            if (localstack != null) {
                localstack.close();
            }
        }

        @Override
        URI endpoint() {
            return localstack.endpoint();
        }
    }
}
