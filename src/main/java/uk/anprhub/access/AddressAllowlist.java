package uk.anprhub.access;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

import java.net.InetAddress;
import java.util.List;

/**
 * The addresses a feed accepts senders from: IP literals and CIDR blocks, IPv4 and IPv6; empty = anyone. One
 * mechanism for every transport (HTTP feeds, TCP feeds), on Spring Security's {@link IpAddressMatcher}, which
 * refuses host names (no DNS lookups, at start-up or per connection).
 */
public final class AddressAllowlist {

    private final List<IpAddressMatcher> matchers;

    private AddressAllowlist(List<IpAddressMatcher> matchers) {
        this.matchers = matchers;
    }

    /** @throws IllegalArgumentException naming the entry, for anything but an IP literal or a CIDR block */
    public static AddressAllowlist of(List<String> entries) {
        return new AddressAllowlist(entries.stream().map(AddressAllowlist::matcher).toList());
    }

    private static IpAddressMatcher matcher(String entry) {
        try {
            return new IpAddressMatcher(entry.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("allowlist entry '" + entry + "' is not an IP address or CIDR block: "
                    + e.getMessage(), e);
        }
    }

    public boolean isEmpty() {
        return matchers.isEmpty();
    }

    /** Whether a sender from {@code address} (an IP literal, e.g. a servlet request's remote address) is allowed. */
    public boolean allows(String address) {
        if (matchers.isEmpty()) {
            return true;
        }
        if (address == null || address.isBlank()) {
            return false;
        }
        for (IpAddressMatcher m : matchers) {
            if (m.matches(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a sender from {@code address} (e.g. a socket's remote address) is allowed; null only when anyone is. */
    public boolean allows(InetAddress address) {
        return address == null ? matchers.isEmpty() : allows(address.getHostAddress());
    }
}
