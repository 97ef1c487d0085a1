package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A loopback backend for tests: one virtual thread per connection runs a handler. */
final class TestServer implements AutoCloseable {
    /** What a backend does with one connection. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TestServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, LOOPBACK);
    }

    /** Writes its name to every connection, then closes it. */
    static TestServer named(String name) throws IOException {
        return start(s -> s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends back every byte as it arrives; at end of stream, closes. */
    static TestServer echo() throws IOException {
        return start(s -> s.getInputStream().transferTo(s.getOutputStream()));
    }

    /** Reads the whole request, up to end of stream, and only then answers {@code got:<request>}. */
    static TestServer replyAfterEndOfStream() throws IOException {
        return start(s -> {
            byte[] request = s.getInputStream().readAllBytes();
            OutputStream out = s.getOutputStream();
            out.write("got:".getBytes(StandardCharsets.UTF_8));
            out.write(request);
        });
    }

    static TestServer start(Handler handler) throws IOException {
        TestServer server = new TestServer(handler);
        Thread.ofVirtual().start(server::acceptLoop);
        return server;
    }

    int port() {
        return server.getLocalPort();
    }

    Endpoint endpoint(String replica) {
        return new Endpoint(replica, LOOPBACK.getHostAddress(), port());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            handler.handle(s);
        } catch (IOException e) {
            // The test's client went away; nothing to report.
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** @return a port nothing listens on right now (bound, read and released) */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** @return a client socket to {@code port} with a read timeout, so no test hangs */
    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(LOOPBACK, port), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Connects, reads everything until end of stream, closes. */
    static String readAll(int port) throws IOException {
        try (Socket s = connect(port)) {
            return readAll(s.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
