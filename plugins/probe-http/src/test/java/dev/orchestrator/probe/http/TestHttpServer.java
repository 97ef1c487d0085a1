package dev.orchestrator.probe.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server on a loopback port: one request per connection, answered by path.
 * <ul>
 *   <li>{@code /status/<n>}: status n, empty body; a 3xx points {@code Location} at {@code /followed};</li>
 *   <li>{@code /followed}: 500, so a probe that follows redirects fails;</li>
 *   <li>{@code /endless}: 200 with a body that never finishes;</li>
 *   <li>{@code /close}: closes the connection without a word;</li>
 *   <li>{@code /keep-alive}: 200 with a short body, keeping the connection for the next request;</li>
 *   <li>anything else: 200.</li>
 * </ul>
 * Records each request's line and {@code Host} header, and counts connections. Thread-safe.
 */
final class TestHttpServer implements AutoCloseable {
    /** One request as received. */
    record Request(String line, String host) {
    }

    private static final int MAX_HEAD = 16 * 1024;

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();

    TestHttpServer() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("test-http-" + port()).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return an endpoint on this server, e.g. {@code url("/status/500")} */
    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s = open.poll(); s != null; s = open.poll()) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try {
            boolean more = true;
            while (more) {
                String[] head = readHead(socket.getInputStream()).split("\r\n");
                String host = "";
                for (String h : head) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("host:")) {
                        host = h.substring(5).trim();
                    }
                }
                requests.add(new Request(head[0], host));
                more = respond(socket, head[0].split(" ")[1].split("\\?")[0]);
            }
        } catch (IOException | RuntimeException e) {
            close(socket);
        }
    }

    /** @return whether the connection stays open for another request */
    private boolean respond(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        switch (path) {
            case "/keep-alive" -> {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return true;
            }
            case "/close" -> close(socket);
            case "/followed" -> answer(socket, out, 500, "");
            case "/endless" -> {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\nstill coming".getBytes(StandardCharsets.US_ASCII));
                out.flush(); // and never more: the socket stays open until close()
            }
            default -> {
                int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
                answer(socket, out, status, status / 100 == 3 ? "Location: /followed\r\n" : "");
            }
        }
        return false;
    }

    private void answer(Socket socket, OutputStream out, int status, String headers) throws IOException {
        out.write(("HTTP/1.1 " + status + " Test\r\nContent-Length: 0\r\nConnection: close\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        close(socket);
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }
}
