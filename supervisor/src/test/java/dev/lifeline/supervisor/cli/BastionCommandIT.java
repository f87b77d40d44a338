package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.lifeline.supervisor.cloud.Ec2Instances;
import dev.lifeline.templates.testing.MotoServer;

/** {@code lifeline bastion status|stop|start} against a real moto EC2, as an admin would run them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BastionCommandIT {
    @TempDir
    Path dir;

    private MotoServer moto;
    private String instanceId;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    void startMoto() {
        moto = MotoServer.start();
        instanceId = Ec2Instances.runOne(moto.endpoint());
    }

    @AfterAll
    void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private int lifeline(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(new Lifeline()).setExitCodeExceptionMapper(e -> Lifeline.BAD_INPUT)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private String config(String id) throws Exception {
        return BastionCommandTest.BastionConfigs.write(dir,
                "aws: {region: eu-central-1, instanceId: " + id + ", endpoint: \"" + moto.endpoint() + "\"}").toString();
    }

    @Test
    @Order(1)
    void statusPrintsIdStateTheProvidersWordAndAddress() throws Exception {
        int code = lifeline("bastion", "status", "--config", config(instanceId));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("id:        " + instanceId).contains("state:     RUNNING")
                .contains("provider:  running").contains("public ip: ");
    }

    @Test
    @Order(2)
    void stopWaitsUntilStopped() throws Exception {
        int code = lifeline("bastion", "stop", "--config", config(instanceId), "--timeout", "30s", "--poll-interval", "200ms");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("stop requested").contains("state:     STOPPED").contains("STOPPED after");
    }

    @Test
    @Order(3)
    void startWithoutWaitingReturnsOnceAccepted() throws Exception {
        int code = lifeline("bastion", "start", "--no-wait", "--config", config(instanceId));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("start requested").doesNotContain("state:");
        assertThat(lifeline("bastion", "start", "--config", config(instanceId), "--poll-interval", "200ms")).isZero();
        assertThat(out.toString()).contains("RUNNING after");
    }

    @Test
    @Order(4)
    void anUnknownInstanceExitsWithThePermanentCodeAndTheFix() throws Exception {
        int code = lifeline("bastion", "status", "--config", config("i-0123456789abcdef0"));

        assertThat(code).isEqualTo(BastionCommand.PERMANENT);
        assertThat(err.toString()).contains("i-0123456789abcdef0").contains("bastion.aws.instanceId");
    }
}
