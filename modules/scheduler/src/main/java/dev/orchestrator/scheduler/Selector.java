package dev.orchestrator.scheduler;

import java.util.random.RandomGenerator;

/**
 * The select step of one placement: keeps the best-scored node seen so far. Among nodes with the
 * same score it keeps, when given a generator, a uniformly random one: each candidate draws a
 * random 64-bit key and the largest key wins (one {@code nextLong()} per candidate, no division:
 * with {@code spread}, hundreds of nodes can tie). Without a generator it keeps the smallest name.
 * One instance per placement, confined to the calling thread.
 */
final class Selector {
    private final RandomGenerator random;
    private int best = -1;
    private String bestName;
    private int bestScore = -1;
    private long bestKey;

    /** @param random the seeded tie-breaker, or null to break ties by name */
    Selector(RandomGenerator random) {
        this.random = random;
    }

    void offer(int index, String name, int score) {
        if (score < bestScore) {
            return;
        }
        long key = random == null ? 0 : random.nextLong();
        if (score > bestScore || (random == null ? name.compareTo(bestName) < 0 : key > bestKey)) {
            best = index;
            bestName = name;
            bestScore = score;
            bestKey = key;
        }
    }

    /** @return the chosen node's index in the input list, or -1 if nothing was offered */
    int best() {
        return best;
    }

    int bestScore() {
        return bestScore;
    }
}
