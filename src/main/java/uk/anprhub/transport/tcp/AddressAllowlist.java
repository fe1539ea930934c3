package uk.anprhub.transport.tcp;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Remote addresses allowed to connect: IP literals and CIDR blocks, IPv4 and IPv6. Empty = anyone. */
final class AddressAllowlist {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AddressAllowlist(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** @throws IllegalArgumentException for anything but an IP literal or CIDR block (no host names: no DNS) */
    static AddressAllowlist parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.trim();
            int slash = e.indexOf('/');
            String ip = slash < 0 ? e : e.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
            if (bytes == null) {
                throw new IllegalArgumentException("allowlist entry '" + entry + "' is not an IP address or CIDR block");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("allowlist entry '" + entry + "' has an invalid prefix length");
                }
            }
            blocks.add(new Block(bytes, prefix));
        }
        return new AddressAllowlist(List.copyOf(blocks));
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    boolean allows(InetAddress address) {
        if (blocks.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
