package dev.orchestrator.discovery.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers questions inside the zone from a {@link ServiceTable}, authoritatively. Immutable and
 * thread-safe; never blocks (it only reads the table it is handed).
 *
 * <p>Names: the apex ({@code SOA}, {@code NS}), {@code ns.<zone>} (the listen address, unless a
 * service is called {@code ns}), {@code <service>}, {@code tasks.<service>},
 * {@code <replica>.<service>} ({@code A}) and {@code _<port>._tcp.<service>} ({@code SRV}).
 * A known name asked for another type, or a known service with no healthy replica, gets NODATA;
 * any other name NXDOMAIN. Both carry the zone's SOA. Multi-address A answers are shuffled per
 * query (DNS round robin).
 */
final class Zone {
    private static final int SRV_WEIGHT = 10;
    private static final long REFRESH = 3600;
    private static final long RETRY = 600;
    private static final long EXPIRE = 86_400;

    private final Name apex;
    private final Name ns;
    private final Name hostmaster;
    private final long ttl;
    private final Optional<InetAddress> nsAddress;

    /**
     * @param apex      the zone, absolute
     * @param ttl       the TTL of answers and of negative answers
     * @param nsAddress the address {@code ns.<zone>} resolves to, if it has a usable one
     */
    Zone(Name apex, int ttl, Optional<InetAddress> nsAddress) {
        this.apex = apex;
        this.ns = child("ns", apex);
        this.hostmaster = child("hostmaster", apex);
        this.ttl = ttl;
        this.nsAddress = nsAddress;
    }

    /** @return whether {@code name} is the apex or below it */
    boolean contains(Name name) {
        return name.subdomain(apex);
    }

    /**
     * @param query    a query with one question, inside the zone
     * @param question that question
     * @param table    the services to answer from
     * @return the authoritative response
     */
    Message answer(Message query, Record question, ServiceTable table) {
        Message response = Responses.reply(query, Rcode.NOERROR);
        response.getHeader().setFlag(Flags.AA);
        Optional<List<Record>> records = lookup(question, table);
        if (records.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa(table), Section.AUTHORITY);
            return response;
        }
        List<Record> found = records.get();
        for (Record r : found) {
            response.addRecord(r, Section.ANSWER);
        }
        if (found.isEmpty()) {
            response.addRecord(soa(table), Section.AUTHORITY);
        }
        addTargets(response, found, table);
        return response;
    }

    /**
     * A single-label name that is a service's ({@code api-server.}): answered as
     * {@code <service>.<zone>} is, under the name asked, as Swarm's DNS answers short names, so
     * a resolver that tries the bare name before its search domain gets the service too.
     *
     * @param query    a query with one question, outside the zone
     * @param question that question
     * @param table    the services
     * @return the answer, or empty if the name is not a bare service name
     */
    Optional<Message> answerShort(Message query, Record question, ServiceTable table) {
        Name name = question.getName();
        if (name.labels() != 2 || (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY)) {
            return Optional.empty();
        }
        return table.service(name.getLabelString(0).toLowerCase(Locale.ROOT)).map(service -> {
            Message response = Responses.reply(query, Rcode.NOERROR);
            serviceRecords(name, question.getType(), List.of(), service).orElse(List.of())
                    .forEach(r -> response.addRecord(r, Section.ANSWER));
            return response;
        });
    }

    /** @return the records of the name and type asked; empty list for NODATA, empty for NXDOMAIN */
    private Optional<List<Record>> lookup(Record question, ServiceTable table) {
        Name name = question.getName();
        int type = question.getType();
        List<String> labels = relativeLabels(name);
        if (labels.isEmpty()) {
            return Optional.of(apexRecords(type, table));
        }
        Optional<ServiceEntry> service = table.service(labels.getLast());
        if (service.isEmpty()) {
            return labels.equals(List.of("ns")) && nsAddress.isPresent()
                    ? Optional.of(wants(type, Type.A) ? List.of(a(name, nsAddress.get())) : List.of())
                    : Optional.empty();
        }
        return serviceRecords(name, type, labels.subList(0, labels.size() - 1), service.get());
    }

    private Optional<List<Record>> serviceRecords(Name name, int type, List<String> prefix, ServiceEntry service) {
        if (prefix.isEmpty()) {
            return Optional.of(wants(type, Type.A) ? addresses(name, service.addresses()) : List.of());
        }
        if (prefix.equals(List.of("tasks"))) {
            return Optional.of(wants(type, Type.A)
                    ? addresses(name, service.replicas().stream().map(Replica::address).toList()) : List.of());
        }
        if (prefix.size() == 1) {
            return service.replica(prefix.getFirst())
                    .map(r -> wants(type, Type.A) ? List.of(a(name, r.address())) : List.of());
        }
        return srvRecords(name, type, prefix, service);
    }

    private Optional<List<Record>> srvRecords(Name name, int type, List<String> prefix, ServiceEntry service) {
        if (prefix.size() == 1 && prefix.getFirst().equals("_tcp")) {
            return Optional.of(List.of()); // empty non-terminal above the SRV names
        }
        if (prefix.size() != 2 || !prefix.get(1).equals("_tcp")) {
            return Optional.empty();
        }
        OptionalPort port = OptionalPort.parse(prefix.getFirst());
        if (!port.valid()) {
            return Optional.empty();
        }
        if (!wants(type, Type.SRV)) {
            return Optional.of(List.of());
        }
        List<Record> out = new ArrayList<>();
        for (Replica r : service.onPort(port.value())) {
            out.add(new SRVRecord(name, DClass.IN, ttl, 0, SRV_WEIGHT, port.value(), r.fqdn()));
        }
        return Optional.of(out);
    }

    private List<Record> apexRecords(int type, ServiceTable table) {
        List<Record> out = new ArrayList<>();
        if (wants(type, Type.SOA)) {
            out.add(soa(table));
        }
        if (wants(type, Type.NS)) {
            out.add(new NSRecord(apex, DClass.IN, ttl, ns));
        }
        return out;
    }

    /** Puts the A records of SRV targets (and of the NS) in the additional section. */
    private void addTargets(Message response, List<Record> answers, ServiceTable table) {
        for (Record r : answers) {
            if (r instanceof SRVRecord srv) {
                Optional<ServiceEntry> service = table.service(srv.getTarget().getLabelString(1));
                service.flatMap(s -> s.replica(srv.getTarget().getLabelString(0)))
                        .ifPresent(rep -> response.addRecord(a(rep.fqdn(), rep.address()), Section.ADDITIONAL));
            } else if (r instanceof NSRecord && nsAddress.isPresent() && table.service("ns").isEmpty()) {
                response.addRecord(a(ns, nsAddress.get()), Section.ADDITIONAL);
            }
        }
    }

    /** @return the zone's SOA; its minimum (the negative-caching TTL) is the TTL */
    SOARecord soa(ServiceTable table) {
        long serial = table.serial() & 0xFFFF_FFFFL;
        return new SOARecord(apex, DClass.IN, ttl, ns, hostmaster, serial, REFRESH, RETRY, EXPIRE, ttl);
    }

    /** @return A records for the addresses, shuffled per query so clients that take the first spread out */
    private List<Record> addresses(Name name, List<InetAddress> addresses) {
        List<Record> out = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            out.add(a(name, a));
        }
        Collections.shuffle(out, ThreadLocalRandom.current());
        return out;
    }

    private ARecord a(Name name, InetAddress address) {
        return new ARecord(name, DClass.IN, ttl, address);
    }

    private List<String> relativeLabels(Name name) {
        int count = name.labels() - apex.labels();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(name.getLabelString(i).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static boolean wants(int asked, int type) {
        return asked == type || asked == Type.ANY;
    }

    private static Name child(String label, Name parent) {
        return Name.fromConstantString(label + "." + parent);
    }

    /** A port label such as {@code _8080}. */
    private record OptionalPort(boolean valid, int value) {
        static OptionalPort parse(String label) {
            if (!label.matches("_[0-9]{1,5}")) {
                return new OptionalPort(false, 0);
            }
            int port = Integer.parseInt(label.substring(1));
            return new OptionalPort(port >= 1 && port <= 65535, port);
        }
    }
}
