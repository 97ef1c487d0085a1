package dev.orchestrator.discovery.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends questions outside the zone to the upstream resolvers (dnsjava's {@link ExtendedResolver}
 * over {@link SimpleResolver}s, which retry over TCP when an upstream truncates) and turns what
 * comes back into the response to the client. Thread-safe. {@link #forward} blocks for at most
 * about the timeout: call it from a virtual thread, never from the UDP loop.
 */
final class Forwarder {
    private static final Duration SLACK = Duration.ofMillis(500);

    private final List<InetSocketAddress> upstreams;
    private final Resolver resolver;
    private final Duration timeout;

    /**
     * @param upstreams the resolvers to ask, in order; none means every forward fails
     * @param timeout   the longest wait for one forwarded question
     */
    Forwarder(List<InetSocketAddress> upstreams, Duration timeout) {
        this.upstreams = List.copyOf(upstreams);
        this.timeout = timeout;
        this.resolver = upstreams.isEmpty() ? null : resolver(this.upstreams, timeout);
    }

    /** @return the upstreams, in order */
    List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /**
     * @return the upstream's answer with the client's id, or SERVFAIL if no upstream answered in
     *         time (or none is configured)
     */
    Message forward(Message query, Record question) {
        if (resolver == null) {
            return Responses.reply(query, Rcode.SERVFAIL);
        }
        Message out = Message.newQuery(question);
        out.addRecord(new OPTRecord(Responses.EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        try {
            Message in = resolver.sendAsync(out).toCompletableFuture()
                    .get(timeout.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
            return relay(query, in);
        } catch (ExecutionException | TimeoutException e) {
            return Responses.reply(query, Rcode.SERVFAIL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Responses.reply(query, Rcode.SERVFAIL);
        }
    }

    /** Copies the upstream's sections and rcode into a reply to the client's query. */
    private static Message relay(Message query, Message in) {
        Message response = Responses.reply(query, in.getRcode());
        if (in.getHeader().getFlag(Flags.AA)) {
            response.getHeader().setFlag(Flags.AA);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : in.getSection(section)) {
                if (!(r instanceof OPTRecord)) {
                    response.addRecord(r, section);
                }
            }
        }
        return response;
    }

    private static Resolver resolver(List<InetSocketAddress> upstreams, Duration timeout) {
        List<Resolver> each = upstreams.stream().map(u -> (Resolver) simple(u, timeout)).toList();
        ExtendedResolver resolver = new ExtendedResolver(each);
        resolver.setRetries(1);
        resolver.setTimeout(timeout);
        return resolver;
    }

    private static SimpleResolver simple(InetSocketAddress upstream, Duration timeout) {
        SimpleResolver r = new SimpleResolver(upstream);
        r.setTimeout(timeout);
        return r;
    }
}
