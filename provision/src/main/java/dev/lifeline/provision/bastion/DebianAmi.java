package dev.lifeline.provision.bastion;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.inputs.GetAmiFilter;
import com.pulumi.aws.ec2.inputs.GetAmiPlainArgs;
import com.pulumi.aws.ec2.outputs.GetAmiResult;
import com.pulumi.deployment.InvokeOptions;
import com.pulumi.resources.ProviderResource;
import com.pulumi.resources.Resource;

import dev.lifeline.templates.spec.BastionSpec;
import dev.lifeline.templates.stack.StackConfigException;

/**
 * The AMI the bastion boots: always the {@code ami-…} pinned in the stack's {@code lifeline:image}.
 * <p>
 * Why pinned: an instance's AMI cannot change in place, so a program that looked up "the newest Debian"
 * on every run would replace the bastion (new machine, tunnels down) on the first {@code pulumi up} after
 * Debian published an image, with no change of config. Pinned, the image moves only when the admin moves
 * it, and the stack file says which image every copy of the stack boots.
 * <p>
 * A release name ({@code debian-12}, the default) is what to look up, not what to boot: the program finds
 * the newest official image of that release for the instance type's CPU in the region and stops, naming it
 * and the one command that pins it. Moving later is the same step on purpose: set the release again,
 * {@code pulumi preview} names the newest, pin that; the next {@code pulumi up} replaces the bastion.
 * <p>
 * Only Debian's own AWS account is trusted as owner: anyone can publish an AMI called "debian-12-…", and a
 * look-up by name alone would happily boot theirs.
 */
final class DebianAmi {
    /**
     * Debian's AWS account, which publishes the official AMIs from Debian 10 on. Source: Debian's cloud-image
     * page, wiki.debian.org/Cloud/AmazonEC2Image; the same account kops looks Debian up under since its
     * "Debian 11: Release AMIs use same AWS Owner ID as Buster" (kubernetes/kops PR 12161). The number this
     * replaced, 136693602424, is not Debian's: with it the default lookup never found an image.
     * DebianAmiLookupIT runs the lookup against a real EC2 emulator.
     */
    static final String DEBIAN_OWNER = "136693071363";
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

    /**
     * The pinned AMI; for a release name, the stack is refused naming the image to pin. The lookup is
     * waited for here, before the security group, the instance or the address is declared, so a refused
     * stack has created nothing in the cloud.
     */
    static String pinned(BastionSpec spec, Resource parent, ProviderResource provider) {
        if (isAmiId(spec.image())) {
            return spec.image();
        }
        Cpu cpu = cpuOf(spec.size());
        GetAmiResult newest = newest(spec, cpu, parent, provider);
        throw new StackConfigException(spec.stackName(), List.of("lifeline:image '" + spec.image()
                + "' names a release, not an image; pin the image this stack boots, so that no later `pulumi up`"
                + " replaces the bastion when Debian publishes a new one: pulumi config set lifeline:image "
                + newest.id() + "  (" + newest.name() + ", Debian's newest " + cpu.debianName + " image in "
                + spec.region() + "). To move to a newer image later, set lifeline:image to " + spec.image()
                + " again and pin what `pulumi preview` names; the next `pulumi up` replaces the bastion."));
    }

    /** The newest {@code <release>-<cpu>-*} image Debian's account publishes in the provider's region. */
    static GetAmiResult newest(BastionSpec spec, Cpu cpu, Resource parent, ProviderResource provider) {
        GetAmiPlainArgs query = GetAmiPlainArgs.builder()
                .owners(DEBIAN_OWNER)
                .mostRecent(true)
                .filters(
                        GetAmiFilter.builder().name("name").values(spec.image() + "-" + cpu.debianName + "-*").build(),
                        GetAmiFilter.builder().name("architecture").values(cpu.awsName).build())
                .build();
        InvokeOptions options = InvokeOptions.builder().parent(parent).provider(provider).build();
        try {
            GetAmiResult result = Ec2Functions.getAmiPlain(query, options).join();
            if (result == null || result.id() == null || !isAmiId(result.id())) {
                throw new IllegalStateException("the lookup returned no image");
            }
            return result;
        } catch (CompletionException | IllegalStateException e) {
            Throwable why = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new StackConfigException(spec.stackName(), List.of("lifeline:image '" + spec.image()
                    + "': no official Debian image (owner " + DEBIAN_OWNER + ", " + spec.image() + "-" + cpu.debianName
                    + "-*) was found in " + spec.region() + " (" + why.getMessage() + "); check the release and"
                    + " the region, or pin an AMI yourself: pulumi config set lifeline:image ami-…"));
        }
    }
}
