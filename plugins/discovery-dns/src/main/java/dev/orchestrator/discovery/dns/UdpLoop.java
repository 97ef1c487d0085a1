package dev.orchestrator.discovery.dns;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Receives UDP queries on one platform thread. Zone answers are computed and sent inline (they
 * never block); forwards run on virtual threads, at most {@value #MAX_FORWARDS} at once (past
 * that the client gets SERVFAIL at once). Ends when its socket is closed.
 */
final class UdpLoop implements Runnable {
    /** Forwards in flight over UDP at most. */
    static final int MAX_FORWARDS = 512;
    /** Queries longer than this are cut, fail to parse and get FORMERR. */
    private static final int MAX_QUERY = 4096;

    private final DatagramSocket socket;
    private final Dispatcher dispatcher;
    private final Forwarder forwarder;
    private final ExecutorService workers;
    private final System.Logger log;
    private final Semaphore forwards = new Semaphore(MAX_FORWARDS);

    UdpLoop(DatagramSocket socket, Dispatcher dispatcher, Forwarder forwarder, ExecutorService workers,
            System.Logger log) {
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.forwarder = forwarder;
        this.workers = workers;
        this.log = log;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[MAX_QUERY];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.log(Level.DEBUG, "udp receive failed: " + e.getMessage());
                }
                continue;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            handle(data, packet.getSocketAddress());
        }
    }

    private void handle(byte[] data, SocketAddress client) {
        switch (dispatcher.handle(data)) {
            case Outcome.Reply r -> send(r.response(), r.udpLimit(), client);
            case Outcome.Forward f -> forward(f, client);
            case Outcome.Drop d -> log.log(Level.DEBUG, "dropped an unreadable udp packet from " + client);
        }
    }

    private void forward(Outcome.Forward f, SocketAddress client) {
        int limit = Responses.udpLimit(f.query());
        if (!forwards.tryAcquire()) {
            send(Responses.reply(f.query(), Rcode.SERVFAIL), limit, client);
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    send(forwarder.forward(f.query(), f.question()), limit, client);
                } finally {
                    forwards.release();
                }
            });
        } catch (RejectedExecutionException closing) {
            forwards.release();
        }
    }

    private void send(Message response, int limit, SocketAddress client) {
        byte[] wire = Responses.wire(response, limit);
        try {
            socket.send(new DatagramPacket(wire, wire.length, client));
        } catch (IOException e) {
            if (!socket.isClosed()) {
                log.log(Level.DEBUG, "udp send to " + client + " failed: " + e.getMessage());
            }
        }
    }
}
