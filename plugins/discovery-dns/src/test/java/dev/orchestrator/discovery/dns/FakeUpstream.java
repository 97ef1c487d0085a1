package dev.orchestrator.discovery.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * A UDP resolver on 127.0.0.1 for tests: answers every question with one A record of
 * {@code 192.0.2.1} (TEST-NET-1, never contacted), or never answers when silent.
 */
final class FakeUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final boolean silent;
    private final AtomicInteger queries = new AtomicInteger();

    private FakeUpstream(boolean silent) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.silent = silent;
        Thread.ofVirtual().start(this::serve);
    }

    /** @return an upstream that answers */
    static FakeUpstream answering() throws IOException {
        return new FakeUpstream(false);
    }

    /** @return an upstream that reads queries and never answers */
    static FakeUpstream silent() throws IOException {
        return new FakeUpstream(true);
    }

    int port() {
        return socket.getLocalPort();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                if (!silent) {
                    byte[] out = answer(new Message(java.util.Arrays.copyOf(buf, p.getLength())));
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or a packet this fake does not care about
            }
        }
    }

    private static byte[] answer(Message query) throws IOException {
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        m.addRecord(query.getQuestion(), Section.QUESTION);
        m.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 300,
                InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        return m.toWire();
    }

    @Override
    public void close() {
        socket.close();
    }
}
