package dev.lifeline.templates.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "198.51.100.0/24, 198.51.100.0/24",
            "198.51.100.7, 198.51.100.7/32",
            "0.0.0.0/0, 0.0.0.0/0",
            "2001:db8::/32, 2001:db8::/32",
            "2001:DB8:0:0::/64, 2001:db8::/64",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
            "2001:0:0:1:0:0:0:0/64, 2001:0:0:1::/64",
            "::/0, ::/0",
            "::1, ::1/128"})
    void networksAreKeptInTheFormTheCloudsWriteThem(String given, String expected) {
        assertThat(Cidr.parse(given).toString()).isEqualTo(expected);
    }

    @Test
    void anIpv4AddressWithHostBitsIsRefusedNamingBothFixes() {
        assertThatThrownBy(() -> Cidr.parse("198.51.100.7/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'198.51.100.7/24' has host bits set past /24")
                .hasMessageContaining("did you mean 198.51.100.0/24 (the whole network) or 198.51.100.7/32 (that one address)?");
    }

    @Test
    void anIpv6AddressWithHostBitsIsRefusedNamingBothFixes() {
        assertThatThrownBy(() -> Cidr.parse("2001:db8:abcd::7/48"))
                .hasMessageContaining("did you mean 2001:db8:abcd::/48 (the whole network) or 2001:db8:abcd::7/128 (that one address)?");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/31")).hasMessageContaining("did you mean 2001:db8::/31");
        assertThatThrownBy(() -> Cidr.parse("2001:db9::/31")).hasMessageContaining("did you mean 2001:db8::/31");
    }

    @Test
    void aPrefixBeyondTheFamilyIsRefused() {
        assertThatThrownBy(() -> Cidr.parse("198.51.100.0/33")).hasMessageContaining("an IPv4 prefix is 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/129")).hasMessageContaining("an IPv6 prefix is 0 to 128");
    }

    @Test
    void theCanonicalTextMeansTheSameAddressAsTheJdkReadsIt() throws Exception {
        for (String text : new String[] {"2001:db8:0:0:1:0:0:1", "fe80::1:2", "1:0:0:2:0:0:0:3", "::fffe:0:1", "0:0:0:0:0:0:0:0"}) {
            String canonical = Cidr.parse(text).address();
            assertThat(InetAddress.getByName(canonical).getAddress()).isEqualTo(InetAddress.getByName(text).getAddress());
            assertThat(canonical).doesNotContain(":::").matches("[0-9a-f:]+");
        }
    }
}
