package dev.orchestrator.testkit;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.api.spi.PullProgress;
import dev.orchestrator.api.spi.RegistryAuth;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.api.spi.RuntimeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An in-memory {@link ContainerRuntime} for unit tests and simulations: containers with
 * labels, states, exit codes, host ports and logs, an event stream, and scripted failures
 * (creates that fail, stops that hang, lost events, an unreachable engine, exec results).
 *
 * <p>Deterministic: ids, addresses and host ports come from counters and a seeded generator,
 * and every time it reports (start, finish, events, log lines) is read from the given clock,
 * so a {@link ManualClock} drives it. Nothing happens by itself: a container runs until the
 * test {@link #crash crashes} it, stops it, or its image was added with
 * {@link #addCrashingImage an exit at start}.
 *
 * <p>Threading: thread-safe; state changes are short critical sections on one lock and no
 * call sleeps, except a {@link #hangStops scripted hang}. Events are delivered in order, one
 * at a time, on the thread whose call caused them (or on another caller's thread that is
 * delivering at that moment), before or shortly after that call returns; listeners must not
 * block. Cheap enough for thousands of containers.
 *
 * <p>Errors mimic the Docker driver: a missing image or container is
 * {@link ErrorCode#NOT_FOUND}, a name in use or removing a running container without force
 * {@link ErrorCode#CONFLICT}, an unreachable engine {@link ErrorCode#RUNTIME_FAILURE} from
 * every call with the driver's wording ({@code docker at HOST: cannot ACTION TARGET: REASON}).
 */
public final class FakeRuntime implements ContainerRuntime {
    /** The name {@link #info()} reports as the driver. */
    public static final String DRIVER = "fake";
    /** Exit code of a container stopped with SIGTERM (what a well-behaved process returns). */
    public static final int SIGTERM_EXIT = 143;
    /** Exit code of a container killed (force remove, OOM). */
    public static final int SIGKILL_EXIT = 137;
    private static final String HOST = "fake://engine";

    /** Operations that scripted failures apply to. */
    public enum Op {
        /** {@link #create}. */ CREATE,
        /** {@link #start}. */ START,
        /** {@link #stop}. */ STOP,
        /** {@link #remove}. */ REMOVE,
        /** {@link #inspect}. */ INSPECT,
        /** {@link #list}. */ LIST,
        /** {@link #logs}. */ LOGS,
        /** {@link #exec}. */ EXEC,
        /** {@link #stats}. */ STATS
    }

    /** What an image does when a container of it starts. */
    private record Image(List<String> startupLines, Integer exitAtStart) {
    }

    /** A container's mutable state; guarded by {@link #lock}. */
    private static final class Box {
        final String id;
        final ContainerRequest request;
        final List<LogLine> logs = new ArrayList<>();
        ContainerState state = ContainerState.CREATED;
        int exitCode;
        boolean oomKilled;
        Instant startedAt;
        Instant finishedAt;
        String ip;
        List<PortBinding> ports = List.of();
        /** Scripted use ({@link #use}): CPUs busy, memory in use; none until scripted. */
        double cpus = -1;
        long memory;
        /** CPU used up to {@code cpuSince}, and when the current rate began. */
        long cpuNanos;
        Instant cpuSince;

        Box(String id, ContainerRequest request) {
            this.id = id;
            this.request = request;
        }
    }

    private final class Subscription implements AutoCloseable {
        final Consumer<RuntimeEvent> listener;
        volatile boolean open = true;

        Subscription(Consumer<RuntimeEvent> listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            open = false;
            subscribers.remove(this);
        }
    }

    /**
     * A scripted failure; {@link #clear()} ends it.
     */
    public final class Failure {
        private final Op op;
        private final Predicate<String> subject;
        private final AtomicInteger left;
        private final ErrorCode code;
        private final String reason;
        private final AtomicInteger hits = new AtomicInteger();

        private Failure(Op op, Predicate<String> subject, int times, ErrorCode code, String reason) {
            this.op = op;
            this.subject = subject;
            this.left = new AtomicInteger(times);
            this.code = code;
            this.reason = reason;
        }

        private boolean take(Op called, String name) {
            if (called != op || !subject.test(name)) {
                return false;
            }
            int n = left.getAndUpdate(v -> v > 0 ? v - 1 : v);
            if (n == 0) {
                return false;
            }
            hits.incrementAndGet();
            return true;
        }

        /** @return how many calls it failed so far */
        public int hits() {
            return hits.get();
        }

        /** Stops failing. Idempotent. */
        public void clear() {
            failures.remove(this);
        }
    }

    /**
     * A scripted hang of {@link #stop}: matching stops block until {@link #release()} or until
     * the hang's duration passes (real time: a hang is about threads, not about the clock).
     */
    public final class Hang {
        private final Predicate<String> subject;
        private final Duration longest;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicInteger entered = new AtomicInteger();

        private Hang(Predicate<String> subject, Duration longest) {
            this.subject = subject;
            this.longest = longest;
        }

        private void await() {
            entered.incrementAndGet();
            waiting.incrementAndGet();
            try {
                if (!released.await(longest.toNanos(), TimeUnit.NANOSECONDS)) {
                    return; // the duration passed: the stop goes on
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE,
                        "docker at " + HOST + ": cannot stop container: interrupted", e);
            } finally {
                waiting.decrementAndGet();
            }
        }

        /** @return stops blocked in this hang right now */
        public int waiting() {
            return waiting.get();
        }

        /** @return stops that ran into this hang so far */
        public int entered() {
            return entered.get();
        }

        /** Lets blocked and future stops through, and ends the hang. Idempotent. */
        public void release() {
            hangs.remove(this);
            released.countDown();
        }
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Box> byId = new LinkedHashMap<>();
    private final Map<String, String> idByName = new HashMap<>();
    private final Map<String, Image> images = new ConcurrentHashMap<>();
    /** Images a pull can fetch, with the password their registry wants ("" for none). */
    private final Map<String, String> registry = new ConcurrentHashMap<>();
    private final List<String> pulls = new CopyOnWriteArrayList<>();
    private final SplittableRandom random;
    private int nextPort = 32768;
    private int nextIp = 2;

    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<RuntimeEvent> outbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final Set<RuntimeEvent.Type> lost = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lostCount = new AtomicInteger();

    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Hang> hangs = new CopyOnWriteArrayList<>();
    private final Map<Op, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile boolean unreachable;
    private volatile BiFunction<ContainerDetails, List<String>, ExecResult> execScript =
            (c, argv) -> new ExecResult(0, "", false);

    /**
     * A runtime without images; add them with {@link #addImage}.
     *
     * @param clock the clock for every time it reports
     */
    public FakeRuntime(Clock clock) {
        this(clock, 42);
    }

    /**
     * @param clock the clock for every time it reports
     * @param seed  seeds the container ids, so two runtimes of a simulation differ
     */
    public FakeRuntime(Clock clock, long seed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new SplittableRandom(seed);
    }

    // ---- scripting --------------------------------------------------------------------------

    /**
     * Makes an image present; its containers run until stopped.
     *
     * @param image        the image reference
     * @param startupLines lines each start writes to stdout
     * @return this
     */
    public FakeRuntime addImage(String image, String... startupLines) {
        images.put(image, new Image(List.of(startupLines), null));
        return this;
    }

    /**
     * Makes an image present whose containers exit with {@code exitCode} as soon as they start
     * (start succeeds; a die event follows at once), like a process that crashes on boot.
     *
     * @param image    the image reference
     * @param exitCode the exit code
     * @return this
     */
    public FakeRuntime addCrashingImage(String image, int exitCode) {
        images.put(image, new Image(List.of(), exitCode));
        return this;
    }

    /**
     * Puts an image in a registry a {@link #pull} fetches it from (it is not present until then).
     *
     * @param image    the image reference
     * @param password the password its registry wants, or null for an open registry
     * @return this
     */
    public FakeRuntime publish(String image, String password) {
        registry.put(image, password == null ? "" : password);
        return this;
    }

    /** @return the images pulled so far, one entry per successful pull, in order */
    public List<String> pulls() {
        return List.copyOf(pulls);
    }

    /**
     * @param image an image reference
     * @return this, without that image (creates of it fail as with Docker)
     */
    public FakeRuntime removeImage(String image) {
        images.remove(image);
        return this;
    }

    /**
     * Fails the next {@code times} calls of {@code op} whose subject matches. The subject is the
     * container name (the request's for {@code create}, the container's or the id given for the
     * others; the label filter's text for {@code list}).
     *
     * @param op      the operation
     * @param subject which calls, by subject
     * @param times   how many calls, or -1 for every one until {@link Failure#clear()}
     * @param code    the error code to throw
     * @param reason  the error's reason, e.g. {@code no space left on device}
     * @return the failure, to clear it or count its hits
     */
    public Failure fail(Op op, Predicate<String> subject, int times, ErrorCode code, String reason) {
        var f = new Failure(Objects.requireNonNull(op), Objects.requireNonNull(subject), times,
                Objects.requireNonNull(code), Objects.requireNonNull(reason));
        failures.add(f);
        return f;
    }

    /**
     * Fails the next {@code times} calls of {@code op}, whatever their subject, as the engine
     * does: {@link ErrorCode#RUNTIME_FAILURE}.
     *
     * @param op     the operation
     * @param times  how many calls
     * @param reason the reason
     * @return the failure
     */
    public Failure failNext(Op op, int times, String reason) {
        return fail(op, s -> true, times, ErrorCode.RUNTIME_FAILURE, reason);
    }

    /**
     * Makes stops of matching containers (by name) block until released.
     *
     * @param subject which containers, by name
     * @return the hang, to release it
     */
    public Hang hangStops(Predicate<String> subject) {
        return hangStops(subject, Duration.ofDays(1));
    }

    /**
     * Makes stops of matching containers (by name) block for at most {@code longest} (real time).
     *
     * @param subject which containers, by name
     * @param longest how long each stop blocks unless released earlier
     * @return the hang
     */
    public Hang hangStops(Predicate<String> subject, Duration longest) {
        var h = new Hang(Objects.requireNonNull(subject), Objects.requireNonNull(longest));
        hangs.add(h);
        return h;
    }

    /**
     * Loses events of these types from now on (the engine's stream dropped them): nobody is
     * told, and only a list or inspect shows what happened.
     *
     * @param types the event types to lose, e.g. {@code DIE}
     */
    public void loseEvents(RuntimeEvent.Type... types) {
        lost.addAll(List.of(types));
    }

    /** Delivers every event type again. */
    public void stopLosingEvents() {
        lost.clear();
    }

    /** @return events lost so far */
    public int lostEvents() {
        return lostCount.get();
    }

    /**
     * Makes the engine unreachable or reachable again. While unreachable every call throws,
     * and events are lost (the stream is down); when it comes back every subscriber gets a
     * {@link RuntimeEvent.Type#RESYNC}, as the Docker driver delivers after reconnecting.
     *
     * @param down true for unreachable
     */
    public void unreachable(boolean down) {
        boolean was = unreachable;
        unreachable = down;
        if (was && !down) {
            resync();
        }
    }

    /** Delivers a {@link RuntimeEvent.Type#RESYNC} to every subscriber (a reconnected stream). */
    public void resync() {
        outbox.add(new RuntimeEvent(RuntimeEvent.Type.RESYNC, null, Map.of(), 0, clock.instant()));
        deliver();
    }

    /**
     * Scripts what {@link #exec} returns for a running container.
     *
     * @param script (container, argv) to the result; the default answers exit 0, no output
     */
    public void scriptExec(BiFunction<ContainerDetails, List<String>, ExecResult> script) {
        execScript = Objects.requireNonNull(script, "script");
    }

    /**
     * Ends a running container by itself, as a crash: a die event with the exit code.
     *
     * @param id       the container id or name
     * @param exitCode its exit code
     * @throws IllegalArgumentException if there is no such container
     */
    public void crash(String id, int exitCode) {
        end(id, exitCode, false);
    }

    /**
     * Ends a running container as the OOM killer does: an oom event, then a die with 137.
     *
     * @param id the container id or name
     */
    public void oomKill(String id) {
        end(id, SIGKILL_EXIT, true);
    }

    /**
     * Appends a line to a container's log.
     *
     * @param id     the container id or name
     * @param stream {@code stdout} or {@code stderr}
     * @param text   the line
     */
    public void log(String id, String stream, String text) {
        locked(() -> box(id).logs.add(new LogLine(clock.instant(), stream, text)));
    }

    /**
     * Scripts a container's resource use from now on: {@link #stats} measures {@code cpus}
     * CPUs busy (CPU time grows by that many seconds per second of the clock) and
     * {@code memoryBytes} in use. Until this is called, a container's stats are unknown.
     *
     * @param id          the container id or name
     * @param cpus        how many CPUs it keeps busy, &gt;= 0
     * @param memoryBytes memory in use, &gt;= 0
     */
    public void use(String id, double cpus, long memoryBytes) {
        locked(() -> {
            Box b = box(id);
            Instant now = clock.instant();
            b.cpuNanos = cpuAt(b, now);
            b.cpuSince = now;
            b.cpus = cpus;
            b.memory = memoryBytes;
        });
    }

    private static long cpuAt(Box b, Instant now) {
        if (b.cpus < 0 || b.cpuSince == null) {
            return b.cpuNanos;
        }
        return b.cpuNanos + (long) (b.cpus * java.time.Duration.between(b.cpuSince, now).toNanos());
    }

    // ---- observing (never scripted to fail) ---------------------------------------------------

    /** @return every container, in creation order (never fails, even while unreachable) */
    public List<ContainerDetails> containers() {
        lock.lock();
        try {
            return byId.values().stream().map(FakeRuntime::details).toList();
        } finally {
            lock.unlock();
        }
    }

    /** @return the running containers, in creation order */
    public List<ContainerDetails> running() {
        return containers().stream().filter(ContainerDetails::running).toList();
    }

    /**
     * @param op an operation
     * @return how many times it was called, failed calls included
     */
    public int calls(Op op) {
        AtomicInteger n = calls.get(op);
        return n == null ? 0 : n.get();
    }

    // ---- ContainerRuntime ---------------------------------------------------------------------

    @Override
    public RuntimeInfo info() {
        reachable("read info of", "the engine");
        return new RuntimeInfo(DRIVER, "1.0", "1.41", 4, 8L << 30, "in-memory");
    }

    @Override
    public boolean imagePresent(String image) {
        reachable("inspect image", image);
        return images.containsKey(image);
    }

    /** A registry's answers, in the Docker driver's words; a pulled image runs until stopped. */
    @Override
    public void pull(String image, RegistryAuth auth, java.util.function.Consumer<PullProgress> progress) {
        reachable("pull", image);
        String password = registry.get(image);
        if (password == null) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "not found (manifest for " + image
                    + " not found: manifest unknown)");
        }
        if (!password.isEmpty() && (auth == null || !auth.password().equals(password))) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "unauthorized (Head https://registry/v2/"
                    + image + ": no basic auth credentials)");
        }
        progress.accept(new PullProgress(512, 1024, 1, 0));
        progress.accept(new PullProgress(1024, 1024, 1, 1));
        images.putIfAbsent(image, new Image(List.of(), null));
        pulls.add(image);
    }

    @Override
    public String create(ContainerRequest request) {
        Objects.requireNonNull(request, "request");
        enter(Op.CREATE, "create container", request.name());
        lock.lock();
        try {
            if (!images.containsKey(request.image())) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND,
                        "image " + request.image() + " is not present on this node");
            }
            if (idByName.containsKey(request.name())) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "container name " + request.name()
                        + " is already in use: Conflict. The container name is already in use");
            }
            var box = new Box(newId(), request);
            byId.put(box.id, box);
            idByName.put(request.name(), box.id);
            emit(RuntimeEvent.Type.CREATE, box, 0);
            return box.id;
        } finally {
            lock.unlock();
            deliver();
        }
    }

    @Override
    public void start(String id) {
        enter(Op.START, "start container", subject(id));
        lock.lock();
        try {
            Box b = byId.get(resolve(id));
            if (b == null) {
                throw new OrchestratorException(ErrorCode.NOT_FOUND, "cannot start container " + id
                        + ": No such container: " + id);
            }
            if (b.state == ContainerState.RUNNING) {
                return; // idempotent, as Docker's 304
            }
            run(b);
        } finally {
            lock.unlock();
            deliver();
        }
    }

    @Override
    public void stop(String id, Duration grace) {
        String name = subject(id);
        enter(Op.STOP, "stop container", name);
        for (Hang h : hangs) {
            if (h.subject.test(name)) {
                h.await();
            }
        }
        reachable("stop container", name); // it may have gone down while the stop hung
        lock.lock();
        try {
            Box b = byId.get(resolve(id));
            if (b != null && b.state == ContainerState.RUNNING) {
                finish(b, SIGTERM_EXIT, false);
            }
        } finally {
            lock.unlock();
            deliver();
        }
    }

    @Override
    public void remove(String id, boolean force) {
        enter(Op.REMOVE, "remove container", subject(id));
        lock.lock();
        try {
            Box b = byId.get(resolve(id));
            if (b == null) {
                return; // idempotent
            }
            if (b.state == ContainerState.RUNNING) {
                if (!force) {
                    throw new OrchestratorException(ErrorCode.CONFLICT, "cannot remove container " + id
                            + ": You cannot remove a running container " + b.id + ". Stop the container before"
                            + " attempting removal or force remove");
                }
                finish(b, SIGKILL_EXIT, false);
            }
            byId.remove(b.id);
            idByName.remove(b.request.name());
            emit(RuntimeEvent.Type.DESTROY, b, 0);
        } finally {
            lock.unlock();
            deliver();
        }
    }

    @Override
    public Optional<ContainerDetails> inspect(String id) {
        enter(Op.INSPECT, "inspect container", subject(id));
        lock.lock();
        try {
            return Optional.ofNullable(byId.get(resolve(id))).map(FakeRuntime::details);
        } finally {
            lock.unlock();
        }
    }

    /** {@inheritDoc} Unknown until {@link #use} scripts the container's use; none unless it runs. */
    @Override
    public Optional<dev.orchestrator.api.spi.ContainerStats> stats(String id) {
        enter(Op.STATS, "read stats of container", subject(id));
        lock.lock();
        try {
            Box b = byId.get(resolve(id));
            if (b == null || b.state != ContainerState.RUNNING || b.cpus < 0) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            long limit = b.request.memoryBytes() > 0 ? b.request.memoryBytes() : -1;
            return Optional.of(new dev.orchestrator.api.spi.ContainerStats(now, cpuAt(b, now), b.memory, limit));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ContainerDetails> list(Map<String, String> labels) {
        Map<String, String> wanted = labels == null ? Map.of() : labels;
        enter(Op.LIST, "list containers with labels", String.valueOf(wanted));
        lock.lock();
        try {
            var out = new ArrayList<ContainerDetails>();
            for (Box b : byId.values()) {
                if (b.request.labels().entrySet().containsAll(wanted.entrySet())) {
                    out.add(details(b));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<LogLine> logs(String id, int tail) {
        if (tail <= 0) {
            throw OrchestratorException.invalid("tail must be > 0, got " + tail);
        }
        enter(Op.LOGS, "read logs of container", subject(id));
        lock.lock();
        try {
            Box b = byId.get(resolve(id));
            if (b == null) {
                return List.of();
            }
            return List.copyOf(b.logs.subList(Math.max(0, b.logs.size() - tail), b.logs.size()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ExecResult exec(String id, List<String> argv, Duration timeout) {
        if (argv == null || argv.isEmpty()) {
            throw OrchestratorException.invalid("exec needs a command, got none");
        }
        Objects.requireNonNull(timeout, "timeout");
        enter(Op.EXEC, "run exec " + argv.get(0) + " in container", subject(id));
        ContainerDetails c = inspectQuietly(id).orElseThrow(() -> new OrchestratorException(ErrorCode.NOT_FOUND,
                "cannot exec in container " + id + ": No such container: " + id));
        if (!c.running()) {
            throw new OrchestratorException(ErrorCode.CONFLICT, "cannot exec in container " + id
                    + ": Container " + c.id() + " is not running");
        }
        // Outside the lock: a script may take its time (a hanging health check).
        return execScript.apply(c, List.copyOf(argv));
    }

    @Override
    public AutoCloseable events(Consumer<RuntimeEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        reachable("subscribe to events of", "the engine");
        var s = new Subscription(listener);
        subscribers.add(s);
        return s;
    }

    /** Ends every subscription. Containers stay (a simulation may open a new "process"). */
    @Override
    public void close() {
        subscribers.forEach(Subscription::close);
    }

    // ---- internals ------------------------------------------------------------------------------

    /** Counts the call, then throws if the engine is down or a scripted failure matches. */
    private void enter(Op op, String action, String subject) {
        calls.computeIfAbsent(op, o -> new AtomicInteger()).incrementAndGet();
        reachable(action, subject);
        for (Failure f : failures) {
            if (f.take(op, subject)) {
                throw new OrchestratorException(f.code, "docker: cannot " + action + " " + subject + ": " + f.reason);
            }
        }
    }

    private void reachable(String action, String target) {
        if (unreachable) {
            // The Docker driver's wording when the daemon's socket refuses connections.
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE,
                    "docker at " + HOST + ": cannot " + action + " " + target + ": Connection refused");
        }
    }

    private Optional<ContainerDetails> inspectQuietly(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(byId.get(resolve(id))).map(FakeRuntime::details);
        } finally {
            lock.unlock();
        }
    }

    /** @return the container's name if it exists, else what was given */
    private String subject(String id) {
        if (id == null || id.isBlank()) {
            throw OrchestratorException.invalid("container id must not be empty");
        }
        lock.lock();
        try {
            Box b = byId.get(resolve(id));
            return b == null ? id : b.request.name();
        } finally {
            lock.unlock();
        }
    }

    /** Ids and names both address a container, as with Docker. Under the lock. */
    private String resolve(String idOrName) {
        return byId.containsKey(idOrName) ? idOrName : idByName.getOrDefault(idOrName, idOrName);
    }

    private Box box(String id) {
        Box b = byId.get(resolve(id));
        if (b == null) {
            throw new IllegalArgumentException("no container " + id + " in the fake runtime");
        }
        return b;
    }

    private void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
            deliver();
        }
    }

    private void end(String id, int exitCode, boolean oom) {
        locked(() -> {
            Box b = box(id);
            if (b.state != ContainerState.RUNNING) {
                throw new IllegalArgumentException("container " + id + " is not running but " + b.state);
            }
            finish(b, exitCode, oom);
        });
    }

    /** Under the lock. */
    private void run(Box b) {
        Image image = images.getOrDefault(b.request.image(), new Image(List.of(), null));
        b.state = ContainerState.RUNNING;
        b.startedAt = clock.instant();
        b.finishedAt = null;
        b.exitCode = 0;
        b.oomKilled = false;
        b.ip = "172.17." + (nextIp / 250) + "." + (nextIp % 250 + 2);
        nextIp++;
        b.ports = b.request.ports().stream().map(this::bind).toList();
        image.startupLines().forEach(l -> b.logs.add(new LogLine(clock.instant(), "stdout", l)));
        emit(RuntimeEvent.Type.START, b, 0);
        if (image.exitAtStart() != null) {
            finish(b, image.exitAtStart(), false);
        }
    }

    private PortBinding bind(PortBinding requested) {
        int host = requested.hostPort() > 0 ? requested.hostPort() : nextPort++;
        String protocol = requested.protocol() == null ? "tcp" : requested.protocol();
        return new PortBinding(requested.containerPort(), protocol, requested.hostIp(), host);
    }

    /** Under the lock. */
    private void finish(Box b, int exitCode, boolean oom) {
        if (oom) {
            emit(RuntimeEvent.Type.OOM, b, 0);
        }
        b.state = ContainerState.EXITED;
        b.exitCode = exitCode;
        b.oomKilled = oom;
        b.finishedAt = clock.instant();
        b.ip = null;
        // Docker keeps the bindings in the host config but reports none once stopped.
        b.ports = List.of();
        emit(RuntimeEvent.Type.DIE, b, exitCode);
    }

    /** Under the lock: queued in order, delivered by {@link #deliver()} once the lock is released. */
    private void emit(RuntimeEvent.Type type, Box b, int exitCode) {
        if (unreachable || lost.contains(type)) {
            lostCount.incrementAndGet();
            return;
        }
        outbox.add(new RuntimeEvent(type, b.id, b.request.labels(), exitCode, clock.instant()));
    }

    /**
     * Delivers queued events, one deliverer at a time so listeners see them in order; a caller
     * that finds another delivering leaves its events to that one.
     */
    private void deliver() {
        if (delivering.isHeldByCurrentThread()) {
            return; // a listener called back into the runtime: the loop below delivers its events next
        }
        while (!outbox.isEmpty() && delivering.tryLock()) {
            try {
                for (RuntimeEvent e = outbox.poll(); e != null; e = outbox.poll()) {
                    for (Subscription s : subscribers) {
                        if (s.open) {
                            s.listener.accept(e);
                        }
                    }
                }
            } finally {
                delivering.unlock();
            }
        }
    }

    /** Under the lock. */
    private String newId() {
        var sb = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("%016x", random.nextLong()));
        }
        return sb.toString();
    }

    private static ContainerDetails details(Box b) {
        return new ContainerDetails(b.id, b.request.name(), b.request.image(), b.request.labels(), b.state,
                b.exitCode, b.oomKilled, b.startedAt, b.finishedAt, b.ip, b.ports);
    }
}
