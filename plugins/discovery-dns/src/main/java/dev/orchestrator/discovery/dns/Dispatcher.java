package dev.orchestrator.discovery.dns;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Decides what one packet gets: FORMERR, NOTIMP, REFUSED (a zone name in a class other than IN),
 * an answer from the {@link Zone}, a forward, or nothing. Thread-safe; never blocks: it reads the current {@link ServiceTable} once per packet.
 */
final class Dispatcher {
    private final Zone zone;
    private final Supplier<ServiceTable> table;

    /**
     * @param zone  the zone served
     * @param table the current table, read once per packet
     */
    Dispatcher(Zone zone, Supplier<ServiceTable> table) {
        this.zone = zone;
        this.table = table;
    }

    /** @return what to do with {@code packet} */
    Outcome handle(byte[] packet) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return Responses.fromHeader(packet, Rcode.FORMERR)
                    .<Outcome>map(m -> new Outcome.Reply(m, Responses.CLASSIC_UDP))
                    .orElse(new Outcome.Drop());
        }
        return handle(query);
    }

    private Outcome handle(Message query) {
        if (query.getHeader().getFlag(Flags.QR)) {
            return new Outcome.Drop();
        }
        int limit = Responses.udpLimit(query);
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return new Outcome.Reply(Responses.reply(query, Rcode.NOTIMP), limit);
        }
        List<Record> questions = query.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return new Outcome.Reply(Responses.reply(query, Rcode.FORMERR), limit);
        }
        Record question = questions.getFirst();
        if (zone.contains(question.getName())) {
            if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
                return new Outcome.Reply(Responses.reply(query, Rcode.REFUSED), limit);
            }
            return new Outcome.Reply(zone.answer(query, question, table.get()), limit);
        }
        Optional<Message> bare = zone.answerShort(query, question, table.get());
        if (bare.isPresent()) {
            return new Outcome.Reply(bare.get(), limit);
        }
        return new Outcome.Forward(query, question);
    }
}
