package dev.orchestrator.discovery.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/** What to do with one received packet. Immutable. */
sealed interface Outcome {
    /**
     * Send this response now.
     *
     * @param response the response
     * @param udpLimit the largest UDP answer the client accepts
     */
    record Reply(Message response, int udpLimit) implements Outcome {
    }

    /**
     * Ask the upstreams (this blocks, so not on the UDP loop).
     *
     * @param query    the client's query
     * @param question its one question
     */
    record Forward(Message query, Record question) implements Outcome {
    }

    /** Send nothing: unreadable, or itself a response. */
    record Drop() implements Outcome {
    }
}
