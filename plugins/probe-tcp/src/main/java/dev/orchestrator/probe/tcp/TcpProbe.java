package dev.orchestrator.probe.tcp;

import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Connects to {@code target.address():target.reachablePort(spec.port())} and closes the
 * connection at once; healthy iff the connect succeeds within {@code spec.timeout()}.
 *
 * <p>Threading: thread-safe and stateless; the kernel calls {@link #check} concurrently from
 * many virtual threads. Blocking: blocks the caller for at most the timeout, provided
 * {@code address} is an IP literal (a host name is resolved first, without a timeout). Never
 * throws for an unhealthy or unreachable target: the failure is the result's detail, such as
 * {@code connection refused} or {@code timed out after 2s}.
 */
final class TcpProbe implements Probe {
    private static final int MAX_DETAIL = 200;

    @Override
    public ProbeResult check(ProbeTarget target) {
        long start = System.nanoTime();
        String problem = problem(target);
        if (problem != null) {
            return ProbeResult.unhealthy(problem, since(start));
        }
        int port = target.reachablePort(target.spec().port());
        Duration timeout = target.spec().timeout();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.address(), port), millis(timeout));
            return ProbeResult.healthy("connected to " + hostPort(target.address(), port), since(start));
        } catch (IOException e) {
            return ProbeResult.unhealthy(describe(e, timeout), since(start));
        }
    }

    /** @return why the target cannot be probed at all, or null */
    private static String problem(ProbeTarget target) {
        if (target.spec().port() == 0) {
            return "health_check.port is required";
        }
        if (target.address() == null || target.address().isBlank()) {
            return "replica " + target.replica() + " has no address";
        }
        return null;
    }

    private static String describe(IOException e, Duration timeout) {
        if (e instanceof SocketTimeoutException) {
            return "timed out after " + Validation.format(timeout);
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            // "Connection refused", "No route to host": the JDK's text is already short.
            return lowerCase(e.getMessage(), "connection refused");
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() <= MAX_DETAIL ? message : message.substring(0, MAX_DETAIL) + "...";
    }

    private static String lowerCase(String message, String fallback) {
        return message == null || message.isBlank() ? fallback : message.toLowerCase(Locale.ROOT);
    }

    private static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** @return the timeout as {@link Socket#connect(java.net.SocketAddress, int)} wants it, never 0 (infinite) */
    private static int millis(Duration d) {
        return (int) Math.min(Math.max(1, d.toMillis()), Integer.MAX_VALUE);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
