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
 * @param rollback     return a service to an earlier revision
 * @param registries   container registry credentials
 * @param rollouts     the deployment controller: drives rollouts (the server ticks it)
 * @param users        the API's users and their roles
 */
public record Application(Deploy deploy, Scale scale, Remove remove, NodeAvailability availability,
                          JoinTokenUseCases tokens, Queries queries, Rollback rollback,
                          Registries registries, DeploymentController rollouts, Users users) {
    /**
     * @param store the store
     * @param hooks the cluster side
     * @param clock the clock of events
     * @return the use cases
     */
    public static Application create(Store store, ClusterHooks hooks, Clock clock) {
        Queries queries = new Queries(store, hooks, clock);
        Deploy deploy = new Deploy(store, hooks, clock);
        Rollback rollback = new Rollback(store, deploy);
        return new Application(deploy, new Scale(store, hooks, clock),
                new Remove(store, hooks, clock), new NodeAvailability(store, hooks, clock, queries),
                new JoinTokenUseCases(store, clock, hooks), queries, rollback,
                new Registries(store, hooks, clock), new DeploymentController(store, hooks, rollback, clock),
                new Users(store, clock));
    }
}
