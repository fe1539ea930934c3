package uk.anprhub.access;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one allowlist of HTTP and TCP feeds: literals, CIDR blocks of both families, no host names. */
class AddressAllowlistTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    @Test
    void literalsAndCidrBlocksOfBothFamilies() throws Exception {
        AddressAllowlist list = AddressAllowlist.of(List.of("127.0.0.1", " 10.20.0.0/16", "2001:db8::/32", "192.0.2.128/25"));
        assertThat(list.isEmpty()).isFalse();
        assertThat(list.allows(ip("127.0.0.1"))).isTrue();
        assertThat(list.allows(ip("127.0.0.2"))).isFalse();
        assertThat(list.allows(ip("10.20.255.1"))).isTrue();
        assertThat(list.allows(ip("10.21.0.1"))).isFalse();
        assertThat(list.allows(ip("192.0.2.200"))).isTrue();
        assertThat(list.allows(ip("192.0.2.127"))).isFalse();
        assertThat(list.allows(ip("2001:db8::1"))).isTrue();
        assertThat(list.allows(ip("2001:db9::1"))).isFalse();
        assertThat(list.allows("10.20.0.7")).as("a servlet request's remote address").isTrue();
        assertThat(list.allows("::1")).as("an IPv6 sender against IPv4 entries").isFalse();
        assertThat(list.allows((String) null)).isFalse();
        assertThat(list.allows((InetAddress) null)).isFalse();
    }

    @Test
    void emptyAllowsAnyone() throws Exception {
        AddressAllowlist anyone = AddressAllowlist.of(List.of());
        assertThat(anyone.isEmpty()).isTrue();
        assertThat(anyone.allows(ip("192.0.2.1"))).isTrue();
        assertThat(anyone.allows((InetAddress) null)).isTrue();
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> AddressAllowlist.of(List.of("camera.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'camera.example'");
        assertThatThrownBy(() -> AddressAllowlist.of(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'10.0.0.0/33'");
    }
}
