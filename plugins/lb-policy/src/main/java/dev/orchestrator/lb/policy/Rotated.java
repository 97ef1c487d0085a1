package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.Endpoint;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list seen from {@code start} on, wrapping around: every element once. A view, not a copy,
 * because it is built for every new connection.
 */
final class Rotated extends AbstractList<Endpoint> implements RandomAccess {
    private final List<Endpoint> all;
    private final int start;

    private Rotated(List<Endpoint> all, int start) {
        this.all = all;
        this.start = start;
    }

    /**
     * @param all   an immutable list
     * @param start where to begin, any non-negative number (taken modulo the size)
     * @return the view; {@code all} itself when it has at most one element
     */
    static List<Endpoint> from(List<Endpoint> all, long start) {
        int n = all.size();
        return n <= 1 ? all : new Rotated(all, (int) (start % n));
    }

    @Override
    public Endpoint get(int index) {
        int n = all.size();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException(index);
        }
        int i = start + index;
        return all.get(i < n ? i : i - n);
    }

    @Override
    public int size() {
        return all.size();
    }
}
