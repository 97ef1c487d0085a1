package dev.orchestrator.it;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Asks each ingress address which container answers ({@code /cgi-bin/hostname} of the web test
 * image: a container's hostname is its short id), one connection per request as the load
 * balancer balances connections, and counts the answers that came from given stale containers.
 */
final class IngressProbe {
    private final List<String> addresses;
    private final int port;
    private final Map<String, Integer> staleAnswers = new TreeMap<>();
    private int requests;

    IngressProbe(List<String> addresses, int port) {
        this.addresses = List.copyOf(addresses);
        this.port = port;
    }

    /**
     * One request to every address; a refused or failed request counts as no answer.
     *
     * @param stale short ids of containers that should no longer serve
     * @return true when no answer of this sample came from one of them
     */
    boolean sample(Set<String> stale) {
        boolean clean = true;
        for (String address : addresses) {
            requests++;
            try {
                MultiNodeIT.HttpResult r = MultiNodeIT.rawGet(address, port, "/cgi-bin/hostname", 2000);
                if (r.status() == 200 && stale.contains(r.body().strip())) {
                    staleAnswers.merge(address, 1, Integer::sum);
                    clean = false;
                }
            } catch (IOException e) {
                // no answer: not a stale one
            }
        }
        return clean;
    }

    /** @return per ingress address, how many answers came from a stale container */
    Map<String, Integer> staleAnswers() {
        return Map.copyOf(staleAnswers);
    }

    int requests() {
        return requests;
    }

    void reset() {
        staleAnswers.clear();
        requests = 0;
    }
}
