package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.pulumi.test.PulumiTest;

import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.templates.stack.StackConfigException;
import dev.lifeline.templates.testing.TestKeys;
import dev.lifeline.templates.testing.TestStacks;

/** A stack that cannot make a safe bastion fails whole, naming the key, before anything exists in any cloud. */
class InvalidStackTest {

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    static Stream<Arguments> brokenStacks() {
        return Stream.of(
                broken("sshPort missing", s -> s.remove("sshPort"), "lifeline:sshPort"),
                broken("sshPort 22", s -> s.set("sshPort", "22"), "lifeline:sshPort"),
                broken("two tunnels on one port", s -> s.json("tunnels", List.of(
                        Map.of("name", "tunnel1", "port", 29000, "publicKey", TestKeys.ed25519("a").publicLine()),
                        Map.of("name", "tunnel2", "port", 29000, "publicKey", TestKeys.ed25519("b").publicLine()))),
                        "lifeline:tunnels[1].port"),
                broken("host key in plain text", s -> s.remove("hostKey").set("hostKey", TestKeys.ed25519("h").privatePem()),
                        "lifeline:hostKey"),
                broken("on DigitalOcean, sshPort 2222", s -> s.set("provider", "digitalocean").set("sshPort", "2222"),
                        "lifeline:sshPort"),
                // EC2 would refuse it only at create, after the instance and its address exist.
                broken("an address with host bits as the SSH allow list", s -> s.json("sshAllowFrom", List.of("198.51.100.7/24")),
                        "lifeline:sshAllowFrom[0]"));
    }

    private static Arguments broken(String what, UnaryOperator<TestStacks> change, String key) {
        return Arguments.of(what, change, key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStacks")
    void brokenStackFailsBeforeAnyResourceIsRegistered(String what, UnaryOperator<TestStacks> change, String key) {
        MockedStack stack = MockedStack.run(change.apply(TestStacks.validAws()));

        StackConfigException problem = stack.configProblem();

        assertThat(problem.problems()).anySatisfy(line -> assertThat(line).startsWith(key + " "));
        assertThat(problem.getMessage()).contains("nothing was created");
        assertThat(stack.cloud().created()).as("resources registered with the engine").isEmpty();
        assertThat(stack.constructed()).as("resources constructed by the program").isEmpty();
    }
}
