package dev.orchestrator.app;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.Store;
import java.time.Clock;

/** Removes a service: the nodes then stop its containers and release its published ports. */
public final class Remove {
    private final Store store;
    private final ClusterHooks hooks;
    private final Clock clock;

    /**
     * @param store the store
     * @param hooks the cluster side
     * @param clock the clock of events
     */
    public Remove(Store store, ClusterHooks hooks, Clock clock) {
        this.store = store;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * Remove a service.
     *
     * @param service its name
     */
    public record Command(String service) {
    }

    /**
     * @param service the service removed
     */
    public record Result(String service) {
    }

    /**
     * @param command what to remove
     * @return what was removed
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}, with nothing changed
     */
    public Result run(Command command) {
        String name = Names.service(command.service());
        boolean deleted = store.inTransaction(tx -> {
            boolean d = tx.services().delete(name);
            if (d) {
                tx.events().append(new Event(clock.instant(), "deploy", name, null, "Service " + name + " removed"));
            }
            return d;
        });
        if (!deleted) {
            throw Names.noService(name);
        }
        hooks.desiredStateChanged(name);
        return new Result(name);
    }
}
