package dev.lifeline.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.pulumi.test.PulumiTest;

import dev.lifeline.provision.testing.CloudMocks;
import dev.lifeline.provision.testing.Ec2ImageLookup;
import dev.lifeline.provision.testing.MockedStack;
import dev.lifeline.templates.testing.MotoServer;
import dev.lifeline.templates.testing.TestStacks;

/**
 * The program's image lookup asked of a real EC2 implementation (moto) whose public images are
 * src/test/resources/moto/debian-amis.json: Debian 12 and 13 images under Debian's account as Debian's
 * cloud-image page names it (136693071363, wiki.debian.org/Cloud/AmazonEC2Image), in Debian's naming
 * (debian-&lt;release&gt;[-backports]-&lt;arch&gt;-&lt;date&gt;-&lt;build&gt;), an older build, and a newer
 * "debian-12-arm64-…" published by somebody else. moto's own image list holds no Debian image at all, hence
 * the file. The query has to find exactly Debian's newest image of the release for the CPU.
 */
class DebianAmiLookupIT {
    private static final String NEWEST_ARM64 = "ami-0a9b8c7d6e5f40312";
    private static final String NEWEST_AMD64 = "ami-0b1c2d3e4f5a60723";
    private static MotoServer moto;
    private static Ec2ImageLookup images;

    @BeforeAll
    static void startEc2() throws URISyntaxException {
        Path amis = Path.of(DebianAmiLookupIT.class.getResource("/moto/debian-amis.json").toURI());
        moto = MotoServer.withImages(amis);
        images = new Ec2ImageLookup(moto.endpoint(), "eu-central-1");
    }

    @AfterAll
    static void stopEc2() {
        if (images != null) {
            images.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    private static MockedStack run(TestStacks values) {
        return MockedStack.run(values, new CloudMocks(images));
    }

    @Test
    void aGravitonStackIsToldToPinDebiansNewestArm64ImageNotAnImpostorsNorAnOlderOne() {
        MockedStack stack = run(TestStacks.validAws().set("image", "debian-12"));

        assertThat(stack.configProblem().problems()).as("moto log:%n%s", moto.log()).singleElement().asString()
                .contains("pulumi config set lifeline:image " + NEWEST_ARM64 + "  (debian-12-arm64-20250610-2137,");
    }

    @Test
    void anIntelStackIsToldToPinDebiansNewestAmd64Image() {
        MockedStack stack = run(TestStacks.validAws().set("image", "debian-12").set("size", "t3.micro"));

        assertThat(stack.configProblem().problems()).singleElement().asString()
                .contains("pulumi config set lifeline:image " + NEWEST_AMD64 + "  (debian-12-amd64-20250610-2137,");
    }

    @Test
    void theNextReleaseIsFoundByItsOwnName() {
        MockedStack stack = run(TestStacks.validAws().set("image", "debian-13"));

        assertThat(stack.configProblem().problems()).singleElement().asString()
                .contains("ami-0d3e4f5a6b7c80945  (debian-13-arm64-20250815-2205,");
    }

    @Test
    void aReleaseDebianDoesNotPublishIsRefusedNamingTheQuery() {
        MockedStack stack = run(TestStacks.validAws().set("image", "debian-19"));

        assertThat(stack.configProblem().problems()).singleElement().asString()
                .startsWith("lifeline:image 'debian-19': no official Debian image")
                .contains("debian-19-arm64-*", "eu-central-1", "Your query returned no results");
    }

    @Test
    void thePinnedImageIsBootedWhateverTheEmulatorHoldsNewer() {
        MockedStack stack = run(TestStacks.validAws().set("image", "ami-0f1d2c3b4a5968701"));

        assertThat(stack.cloud().one("aws:ec2/instance:Instance").inputs()).containsEntry("ami", "ami-0f1d2c3b4a5968701");
        assertThat(stack.cloud().called(CloudMocks.GET_AMI)).isEmpty();
        assertThat(List.of(NEWEST_ARM64, NEWEST_AMD64)).doesNotContain("ami-0f1d2c3b4a5968701");
    }
}
