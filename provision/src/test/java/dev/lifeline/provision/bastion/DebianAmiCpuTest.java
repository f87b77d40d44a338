package dev.lifeline.provision.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.lifeline.provision.bastion.DebianAmi.Cpu;

class DebianAmiCpuTest {

    @ParameterizedTest(name = "{0} runs {1}")
    @CsvSource({
            "t4g.nano, ARM64", "m7g.large, ARM64", "m7gd.xlarge, ARM64", "c6gn.medium, ARM64", "r8g.large, ARM64",
            "is4gen.large, ARM64", "g5g.xlarge, ARM64", "a1.medium, ARM64",
            "t3.micro, AMD64", "t3a.nano, AMD64", "m7i-flex.large, AMD64", "g4dn.xlarge, AMD64", "c7a.large, AMD64",
            "trn1.2xlarge, AMD64"})
    void gravitonFamiliesGetArm64ImagesAndEveryOtherFamilyAmd64(String instanceType, Cpu expected) {
        assertThat(DebianAmi.cpuOf(instanceType)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} burstable: {1}")
    @CsvSource({"t4g.nano, true", "t3a.small, true", "t2.micro, true", "trn1.2xlarge, false", "m7g.large, false"})
    void onlyTheTFamiliesEarnCpuCredits(String instanceType, boolean burstable) {
        assertThat(AwsBastion.isBurstable(instanceType)).isEqualTo(burstable);
    }
}
