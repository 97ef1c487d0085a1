package dev.orchestrator.discovery.dns;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds response messages and their wire form. Stateless; thread-safe. */
final class Responses {
    /** The EDNS payload size this server advertises and honours at most (the DNS flag day value). */
    static final int EDNS_PAYLOAD = 1232;
    /** A UDP answer to a client that sent no OPT record fits in this many bytes. */
    static final int CLASSIC_UDP = 512;
    private static final int HEADER = 12;

    private Responses() {
    }

    /**
     * @return a response to {@code query} with its id, opcode, RD bit and question, RA set (this
     *         server recurses through its upstreams), an OPT record if the query had one
     */
    static Message reply(Message query, int rcode) {
        Header qh = query.getHeader();
        Message response = new Message(qh.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        if (qh.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        h.setOpcode(qh.getOpcode());
        h.setRcode(rcode);
        Record question = query.getQuestion();
        if (question != null && qh.getOpcode() == Opcode.QUERY) {
            response.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return response;
    }

    /**
     * A response built from the header alone, for a packet whose body does not parse.
     *
     * @param packet the bytes received
     * @param rcode  the rcode to answer with
     * @return the response, or empty if the header is unreadable or the packet is itself a response
     */
    static Optional<Message> fromHeader(byte[] packet, int rcode) {
        if (packet.length < HEADER) {
            return Optional.empty();
        }
        Header qh;
        try {
            qh = new Header(Arrays.copyOf(packet, HEADER));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (qh.getFlag(Flags.QR)) {
            return Optional.empty();
        }
        Message response = new Message(qh.getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(qh.getOpcode());
        response.getHeader().setRcode(rcode);
        return Optional.of(response);
    }

    /**
     * @return the largest UDP answer the client of {@code query} accepts: 512 bytes, or its EDNS
     *         payload size capped at {@link #EDNS_PAYLOAD}
     */
    static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? CLASSIC_UDP : Math.clamp(opt.getPayloadSize(), CLASSIC_UDP, EDNS_PAYLOAD);
    }

    /**
     * @return the wire form of {@code response}, truncated to {@code limit} bytes with the TC bit
     *         set if the answer does not fit (dnsjava's {@link Message#toWire(int)})
     */
    static byte[] wire(Message response, int limit) {
        return response.toWire(limit);
    }
}
