package dev.orchestrator.api;

/**
 * An IPv4 network in CIDR form, e.g. {@code 10.210.0.0/16}.
 *
 * @param base   the network address as an unsigned 32-bit number (host bits zero)
 * @param prefix the prefix length, 8..30
 */
public record Ipv4Cidr(long base, int prefix) {
    /** Requires an aligned base and a usable prefix. */
    public Ipv4Cidr {
        if (prefix < 8 || prefix > 30) {
            throw OrchestratorException.invalid("a network prefix must be in /8../30, got /" + prefix);
        }
        if (base < 0 || base > 0xFFFF_FFFFL || (base & ~mask(prefix)) != 0) {
            throw OrchestratorException.invalid("not a network address for /" + prefix + ": " + text(base));
        }
    }

    /**
     * @param field the setting or field it comes from, for the error
     * @param text  e.g. {@code 10.210.0.0/16}
     * @return the network
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the field when malformed
     */
    public static Ipv4Cidr parse(String field, String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw OrchestratorException.invalid(field + " must be an IPv4 network such as 10.210.0.0/16, got '"
                    + text + "'");
        }
        try {
            return new Ipv4Cidr(address(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException | OrchestratorException e) {
            throw OrchestratorException.invalid(field + " must be an IPv4 network such as 10.210.0.0/16, got '"
                    + text + "'");
        }
    }

    /**
     * @param text a dotted IPv4 address
     * @return it as an unsigned 32-bit number
     */
    public static long address(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw OrchestratorException.invalid("not an IPv4 address: '" + text + "'");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw OrchestratorException.invalid("not an IPv4 address: '" + text + "'");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw OrchestratorException.invalid("not an IPv4 address: '" + text + "'");
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /**
     * @param address an unsigned 32-bit address
     * @return it dotted
     */
    public static String text(long address) {
        return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "."
                + (address & 255);
    }

    /** @return the number of addresses in it */
    public long size() {
        return 1L << (32 - prefix);
    }

    /**
     * @param n 0-based
     * @return its n-th address
     */
    public String addressAt(long n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException("address " + n + " is outside " + this);
        }
        return text(base + n);
    }

    /**
     * @param subPrefix a longer prefix
     * @param n         0-based
     * @return its n-th subnet of that prefix
     */
    public Ipv4Cidr subnet(int subPrefix, long n) {
        if (subPrefix < prefix || n < 0 || n >= 1L << (subPrefix - prefix)) {
            throw new IllegalArgumentException("no subnet /" + subPrefix + " #" + n + " in " + this);
        }
        return new Ipv4Cidr(base + (n << (32 - subPrefix)), subPrefix);
    }

    /**
     * @param address a dotted address
     * @return true if it lies in this network
     */
    public boolean contains(String address) {
        try {
            return (address(address) & mask(prefix)) == base;
        } catch (OrchestratorException e) {
            return false;
        }
    }

    /**
     * @param other a network
     * @return true if the two share any address
     */
    public boolean overlaps(Ipv4Cidr other) {
        int p = Math.min(prefix, other.prefix);
        return (base & mask(p)) == (other.base & mask(p));
    }

    private static long mask(int prefix) {
        return (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return text(base) + "/" + prefix;
    }
}
