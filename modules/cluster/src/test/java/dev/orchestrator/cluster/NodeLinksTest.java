package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The image check across nodes, and the "I have it" answers it remembers. */
class NodeLinksTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final NodeLinks links = new NodeLinks(now::get);

    /** A node with a fixed set of images, counting the questions it gets. */
    private static final class Images implements NodeLink {
        final Set<String> images;
        final AtomicInteger asked = new AtomicInteger();

        Images(String... images) {
            this.images = Set.of(images);
        }

        @Override
        public List<LogEntry> serviceLogs(LogQuery query) {
            return List.of();
        }

        @Override
        public AutoCloseable followLogs(LogQuery query, LogListener listener) {
            return () -> { };
        }

        @Override
        public boolean imagePresent(String image) {
            asked.incrementAndGet();
            return images.contains(image);
        }
    }

    @Test
    void aNodeThatHasTheImageIsNotAskedAgainForHalfAMinute() {
        var n1 = new Images("web:1");
        links.register("n1", n1);

        assertTrue(links.imagePresent("web:1", List.of("n1")));
        now.addAndGet(NodeLinks.REMEMBER_PRESENT.toNanos() - 1);
        assertTrue(links.imagePresent("web:1", List.of("n1")));
        assertEquals(1, n1.asked.get());

        now.addAndGet(1);
        assertTrue(links.imagePresent("web:1", List.of("n1")));
        assertEquals(2, n1.asked.get());
    }

    @Test
    void aMissingImageIsAskedForEveryTime() {
        var n1 = new Images();
        links.register("n1", n1);

        assertFalse(links.imagePresent("web:1", List.of("n1")));
        assertFalse(links.imagePresent("web:1", List.of("n1")));
        assertEquals(2, n1.asked.get());
    }

    @Test
    void theRememberedAnswerCountsOnlyWhileItsNodeIsAmongTheReadyOnes() {
        var n1 = new Images("web:1");
        var n2 = new Images();
        links.register("n1", n1);
        links.register("n2", n2);
        assertTrue(links.imagePresent("web:1", List.of("n1", "n2")));

        assertFalse(links.imagePresent("web:1", List.of("n2")), "n1 is no longer ready");
        links.remove("n1");
        assertFalse(links.imagePresent("web:1", List.of("n1", "n2")), "n1 is gone with its answer");
    }

    @Test
    void withNoNodeToAskTheImageIsAssumedRunnable() {
        assertTrue(links.imagePresent("web:1", List.of("n9")));
    }
}
