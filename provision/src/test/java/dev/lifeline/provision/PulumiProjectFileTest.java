package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The root Pulumi.yaml and this module's build must agree: Pulumi runs {@code java -jar <binary>} from the
 * program directory, so a renamed jar or a moved module breaks {@code pulumi up} without breaking any build.
 */
class PulumiProjectFileTest {
    // Surefire runs in the module directory, provision/.
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();

    @Test
    void pulumiRunsTheShadedJarThisModuleBuildsFromProvision() throws Exception {
        JsonNode project = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("Pulumi.yaml").toFile());

        assertThat(project.path("name").asText()).as("project name = config namespace").isEqualTo("lifeline");
        assertThat(project.path("runtime").path("name").asText()).isEqualTo("java");
        Path program = ROOT.resolve(project.path("main").asText()).normalize();
        assertThat(program).isEqualTo(MODULE);
        Path binary = program.resolve(project.path("runtime").path("options").path("binary").asText()).normalize();
        assertThat(binary).isEqualTo(MODULE.resolve("target").resolve(shadedJarName()));
    }

    @Test
    void stackFilesLiveWhereStackConfigDirPoints() throws IOException {
        JsonNode project = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("Pulumi.yaml").toFile());

        Path stacks = ROOT.resolve(project.path("stackConfigDir").asText());
        try (Stream<Path> files = Files.list(stacks)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("Pulumi.aws-example.yaml", "Pulumi.do-example.yaml");
        }
    }

    private static String shadedJarName() throws Exception {
        File pom = MODULE.resolve("pom.xml").toFile();
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom);
        String finalName = XPathFactory.newInstance().newXPath().evaluate(
                "//*[local-name()='plugin'][*[local-name()='artifactId']='maven-shade-plugin']"
                        + "//*[local-name()='finalName']", document);
        assertThat(finalName).as("shade finalName in provision/pom.xml").isNotBlank();
        return finalName + ".jar";
    }
}
