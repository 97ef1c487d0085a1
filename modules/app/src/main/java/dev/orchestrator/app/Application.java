package dev.orchestrator.app;

import dev.orchestrator.store.Store;
import java.time.Clock;

/**
 * Every use case, wired over one store and one cluster side: what the REST handlers are given.
 *
 * @param deploy       create or update a service
 * @param scale        change a replica count
 * @param remove       remove a service
 * @param availability cordon, uncordon, drain
 * @param tokens       join tokens
 * @param queries      the read side
 */
public record Application(Deploy deploy, Scale scale, Remove remove, NodeAvailability availability,
                          JoinTokenUseCases tokens, Queries queries) {
    /**
     * @param store the store
     * @param hooks the cluster side
     * @param clock the clock of events
     * @return the use cases
     */
    public static Application create(Store store, ClusterHooks hooks, Clock clock) {
        Queries queries = new Queries(store, hooks, clock);
        return new Application(new Deploy(store, hooks, clock), new Scale(store, hooks, clock),
                new Remove(store, hooks, clock), new NodeAvailability(store, hooks, clock, queries),
                new JoinTokenUseCases(store, clock), queries);
    }
}
