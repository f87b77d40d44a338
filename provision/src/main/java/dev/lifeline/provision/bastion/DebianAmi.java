package dev.lifeline.provision.bastion;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.inputs.GetAmiArgs;
import com.pulumi.aws.ec2.inputs.GetAmiFilterArgs;
import com.pulumi.aws.ec2.outputs.GetAmiResult;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.ProviderResource;
import com.pulumi.resources.Resource;

/**
 * The AMI the bastion boots: an explicit {@code ami-…} as given, or the newest official Debian image for the
 * instance type's CPU. Only Debian's own AWS account is trusted as owner: anyone can publish an AMI called
 * "debian-12-…", and a look-up by name alone would happily boot theirs.
 */
final class DebianAmi {
    /** Debian's official cloud-image account (wiki.debian.org/Cloud/AmazonEC2Image). */
    static final String DEBIAN_OWNER = "136693602424";
    // family = letters, generation digits, then attribute letters: t4g, m7gd, c6gn, r8g, is4gen, g5g.
    private static final Pattern FAMILY = Pattern.compile("([a-z]+)(\\d+)([a-z-]*)");

    /** The CPU as Debian names its images and as EC2 names its architectures. */
    enum Cpu {
        ARM64("arm64", "arm64"),
        AMD64("amd64", "x86_64");

        final String debianName;
        final String awsName;

        Cpu(String debianName, String awsName) {
            this.debianName = debianName;
            this.awsName = awsName;
        }
    }

    private DebianAmi() {
    }

    /** Graviton families carry a 'g' among the letters after the generation (t4g, c7gn); a1 is Graviton 1. */
    static Cpu cpuOf(String instanceType) {
        String family = instanceType.toLowerCase(Locale.ROOT).split("\\.", 2)[0];
        if (family.equals("a1")) {
            return Cpu.ARM64;
        }
        Matcher m = FAMILY.matcher(family);
        return m.matches() && m.group(3).contains("g") ? Cpu.ARM64 : Cpu.AMD64;
    }

    static boolean isAmiId(String image) {
        return image.startsWith("ami-");
    }

    /** The image id: the given AMI, or the newest {@code <release>-<cpu>-*} Debian publishes in the region. */
    static Output<String> resolve(String image, String instanceType, Resource parent, ProviderResource provider) {
        if (isAmiId(image)) {
            return Output.of(image);
        }
        Cpu cpu = cpuOf(instanceType);
        GetAmiArgs query = GetAmiArgs.builder()
                .owners(DEBIAN_OWNER)
                .mostRecent(true)
                .filters(
                        GetAmiFilterArgs.builder().name("name").values(image + "-" + cpu.debianName + "-*").build(),
                        GetAmiFilterArgs.builder().name("architecture").values(cpu.awsName).build())
                .build();
        InvokeOutputOptions options = new InvokeOutputOptions.Builder().parent(parent).provider(provider).build();
        return Ec2Functions.getAmi(query, options).applyValue(GetAmiResult::id);
    }
}
