package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.Context;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.PulumiTestInternal;

import dev.lifeline.provision.testing.CloudMocks;
import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.templates.testing.TestStacks;

class PulumiStackValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void listsAndObjectsArriveAsJsonTreesAndScalarsAsText() {
        Map<String, String> config = Map.of(
                "lifeline:sshPort", "47022",
                "lifeline:sshAllowFrom", "[\"198.51.100.0/24\"]",
                "lifeline:web", "{\"domain\":\"home.example.com\"}",
                "lifeline:adminUser", "[not json");
        PulumiStackValues values = valuesOf(config, Set.of());

        assertThat(values.get("sshPort")).get().satisfies(n -> assertThat(n.isTextual()).isTrue())
                .extracting(JsonNode::asText).isEqualTo("47022");
        assertThat(values.get("sshAllowFrom")).get().satisfies(n -> assertThat(n.isArray()).isTrue())
                .extracting(n -> n.get(0).asText()).isEqualTo("198.51.100.0/24");
        assertThat(values.get("web")).get().extracting(n -> n.path("domain").asText()).isEqualTo("home.example.com");
        assertThat(values.get("adminUser")).as("bracketed text that is not JSON stays text for the reader to judge")
                .get().extracting(JsonNode::asText).isEqualTo("[not json");
        assertThat(values.get("region")).isEmpty();
    }

    @Test
    void keysAreOursOnlyWithoutTheNamespaceWhicheverFormTheHostSends() {
        Map<String, String> config = Map.of(
                "lifeline:sshPort", "47022",
                "lifeline:config:region", "eu-west-1",
                "aws:region", "us-east-1",
                "lifelinex:other", "x");

        assertThat(valuesOf(config, Set.of()).keys()).containsExactlyInAnyOrder("sshPort", "region");
    }

    @Test
    void onlyKeysTheHostMarksSecretCountAsSecretAndNoneAsEncrypted() {
        PulumiStackValues values = valuesOf(Map.of("lifeline:hostKey", "k", "lifeline:adminUser", "admin"),
                Set.of("lifeline:hostKey"));

        assertThat(values.isSecret("hostKey")).isTrue();
        assertThat(values.isSecret("adminUser")).isFalse();
        assertThat(values.isEncrypted("hostKey")).as("the engine decrypts before the program runs").isFalse();
    }

    @Test
    void configHandedOverByTheLanguageHostBuildsTheBastion() {
        Map<String, String> config = hostConfig(TestStacks.validAws());
        config.put("aws:region", "us-east-1");

        TestResult result = runWithHostConfig(config, secretKeysOf(TestStacks.validAws()));

        assertThat(result.exceptions()).isEmpty();
        assertThat(PulumiTest.extractValue(result.output("sshPort"))).isEqualTo(47022);
        assertThat(PulumiTest.extractValue(result.output("publicIp"))).isEqualTo(CloudMocks.ELASTIC_IP);
    }

    @Test
    void aMisspeltKeyIsReportedInsteadOfSilentlyIgnored() {
        Map<String, String> config = hostConfig(TestStacks.validAws());
        config.put("lifeline:sshPrt", "47023");

        TestResult result = runWithHostConfig(config, secretKeysOf(TestStacks.validAws()));

        assertThat(MockedStack.configProblem(result).problems()).singleElement().asString()
                .startsWith("lifeline:sshPrt is not a lifeline setting");
    }

    @Test
    void aSecretSetInPlainTextIsRefused() {
        TestResult result = runWithHostConfig(hostConfig(TestStacks.validAws()), Set.of("lifeline:twilioAuthToken"));

        assertThat(MockedStack.configProblem(result).problems()).singleElement().asString()
                .startsWith("lifeline:hostKey is stored in plain text");
    }

    private static PulumiStackValues valuesOf(Map<String, String> config, Set<String> secretKeys) {
        return new PulumiStackValues("test", key -> Optional.ofNullable(config.get("lifeline:" + key)),
                json(config), json(secretKeys));
    }

    /** What {@code pulumi up} hands the program: full keys, structured values as JSON text. */
    private static Map<String, String> hostConfig(TestStacks stack) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String key : stack.keys()) {
            JsonNode value = stack.get(key).orElseThrow();
            config.put("lifeline:" + key, value.isValueNode() ? value.asText() : value.toString());
        }
        return config;
    }

    private static Set<String> secretKeysOf(TestStacks stack) {
        return stack.keys().stream().filter(stack::isSecret).map(k -> "lifeline:" + k).collect(Collectors.toSet());
    }

    private static TestResult runWithHostConfig(Map<String, String> config, Set<String> secretKeys) {
        String configJson = json(config);
        String secretsJson = json(secretKeys);
        return PulumiTestInternal.builder()
                .options(TestOptions.builder().stackName("test").projectName("lifeline").build())
                .mocks(new CloudMocks())
                .config(config, secretKeys)
                .build()
                .runTest((Context ctx) -> LifelineBastion.define(ctx,
                        new PulumiStackValues(ctx.stackName(), ctx.config("lifeline")::get, configJson, secretsJson)));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value instanceof Set<?> s ? List.copyOf(s) : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
