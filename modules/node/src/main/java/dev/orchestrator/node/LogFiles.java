package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.lang.System.Logger.Level;
import java.util.stream.Stream;

/**
 * The captured output of a node's replicas, on disk: {@code <dir>/<service>/<sequence>.jsonl},
 * one JSON {@link LogEntry} a line, appended in arrival order. A service's current file rolls
 * over at a fifth of its size bound, and the oldest files go as soon as the service's files
 * exceed the bound or are older than the age bound, so disk use stays within
 * {@link LogRetention} per service however long a service runs, crashes or is replaced.
 *
 * <p>Thread-safe: appends and rotation of one service are serialised on that service's writer;
 * reads see every line appended before they start (each line is flushed).
 */
final class LogFiles implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LogFiles.class.getName());
    private static final String SUFFIX = ".jsonl";
    private static final java.util.regex.Pattern SERVICE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private final Path dir;
    private final LogRetention retention;
    private final Clock clock;
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();
    /** service/replica → the time of its newest line appended since this node started. */
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

    /**
     * @param dir       the directory (created if missing)
     * @param retention the bounds per service
     * @param clock     for the age bound
     */
    LogFiles(Path dir, LogRetention retention, Clock clock) {
        this.dir = dir;
        this.retention = retention;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory " + dir, e);
        }
    }

    /**
     * Appends one line of a service. Never throws: a full disk loses lines, not the node.
     *
     * @param service the service
     * @param entry   the line
     */
    void append(String service, LogEntry entry) {
        lastSeen.put(service + "/" + entry.replica(), entry.instant());
        byte[] bytes = line(entry);
        Writer w = writers.computeIfAbsent(service, Writer::new);
        synchronized (w) {
            try {
                w.write(bytes);
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.WARNING, "cannot write the logs of " + service + ": " + e);
                w.closeQuietly();
            }
        }
    }

    /**
     * @param query which lines
     * @return the matching lines of the service, per replica at most {@code tail} of the
     *         newest, oldest first
     */
    List<LogEntry> read(LogQuery query) {
        Map<String, ArrayDeque<LogEntry>> byReplica = new HashMap<>();
        List<LogEntry> all = new ArrayList<>();
        for (Path file : segments(query.service())) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String text = in.readLine(); text != null; text = in.readLine()) {
                    LogEntry e = parse(text);
                    if (e == null || !query.matches(e)) {
                        continue;
                    }
                    if (query.tail() == 0) {
                        all.add(e);
                        continue;
                    }
                    ArrayDeque<LogEntry> q = byReplica.computeIfAbsent(e.replica(), r -> new ArrayDeque<>());
                    q.addLast(e);
                    if (q.size() > query.tail()) {
                        q.removeFirst();
                    }
                }
            } catch (NoSuchFileException e) {
                // rotated away while we read: its lines were the oldest
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        byReplica.values().forEach(all::addAll);
        // Stable: lines of one instant keep their arrival order.
        all.sort(Comparator.comparing(LogEntry::instant));
        return all;
    }

    /**
     * @param service a service
     * @param replica one of its replicas
     * @return the time of the replica's newest line in the service's newest file, if any: where
     *         capture resumes after a restart of the node
     */
    Instant last(String service, String replica) {
        Instant known = lastSeen.get(service + "/" + replica);
        if (known != null) {
            return known;
        }
        List<Path> files = segments(service);
        Instant last = null;
        for (int i = files.size() - 1; i >= 0 && last == null; i--) {
            try (Stream<String> lines = Files.lines(files.get(i), StandardCharsets.UTF_8)) {
                last = lines.map(LogFiles::parse).filter(e -> e != null && replica.equals(e.replica()))
                        .map(LogEntry::instant).reduce((a, b) -> b).orElse(null);
            } catch (IOException | UncheckedIOException e) {
                return null;
            }
        }
        return last;
    }

    /** Drops the files beyond the age bound, of every service. */
    void pruneAll() {
        try (Stream<Path> services = Files.list(dir)) {
            services.filter(Files::isDirectory).forEach(s -> {
                Writer w = writers.computeIfAbsent(s.getFileName().toString(), Writer::new);
                synchronized (w) {
                    w.prune();
                }
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot prune the logs: " + e);
        }
    }

    /** @return how many bytes the service's files hold */
    long size(String service) {
        long total = 0;
        for (Path p : segments(service)) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return total;
    }

    private List<Path> segments(String service) {
        if (!SERVICE.matcher(service).matches()) {
            return List.of(); // not a service name: nothing outside the log directory is read
        }
        Path d = dir.resolve(service);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + d, e);
        }
    }

    private static LogEntry parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Protocol.read(text.getBytes(StandardCharsets.UTF_8), LogEntry.class);
        } catch (OrchestratorException e) {
            return null; // a line cut by a crash of the node
        }
    }

    private static byte[] line(LogEntry entry) {
        byte[] json = Protocol.write(entry);
        byte[] bytes = new byte[json.length + 1];
        System.arraycopy(json, 0, bytes, 0, json.length);
        bytes[json.length] = '\n';
        return bytes;
    }

    @Override
    public void close() {
        writers.values().forEach(w -> {
            synchronized (w) {
                w.closeQuietly();
            }
        });
    }

    /** The current file of one service. Guarded by itself. */
    private final class Writer {
        private final String service;
        private OutputStream out;
        private long written;
        private long sequence;

        Writer(String service) {
            this.service = service;
        }

        void write(byte[] bytes) throws IOException {
            if (out == null || written + bytes.length > retention.segmentBytes()) {
                roll();
            }
            out.write(bytes);
            out.flush();
            written += bytes.length;
        }

        private void roll() throws IOException {
            closeQuietly();
            Path d = dir.resolve(service);
            Files.createDirectories(d);
            List<Path> files = segments(service);
            long next = files.isEmpty() ? 1 : sequenceOf(files.getLast()) + 1;
            sequence = Math.max(next, sequence + 1);
            Path file = d.resolve(String.format("%012d%s", sequence, SUFFIX));
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            written = Files.size(file);
            prune();
        }

        /** Keeps the newest files within the bounds; the current one always stays. */
        void prune() {
            List<Path> files = segments(service);
            long total = 0;
            FileTime oldest = FileTime.from(clock.instant().minus(retention.maxAge()));
            for (int i = files.size() - 1; i >= 0; i--) {
                Path p = files.get(i);
                try {
                    total += Files.size(p);
                    boolean current = i == files.size() - 1;
                    boolean old = Files.getLastModifiedTime(p).compareTo(oldest) < 0;
                    if (current && old) {
                        closeQuietly(); // nothing written for longer than the age bound: it goes too
                        Files.deleteIfExists(p);
                    } else if (!current && (total > retention.maxBytes() || old)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }

        private long sequenceOf(Path p) {
            String n = String.valueOf(p.getFileName()); // a listed file: never the root
            try {
                return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        void closeQuietly() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // nothing more to lose
                }
                out = null;
            }
        }
    }
}
