package dev.orchestrator.orchestration;

import java.util.List;

/**
 * What to do for one service, in execution order.
 *
 * @param service the service name
 * @param actions the actions; at most one {@link Action.Replace} (a rolling update moves one
 *                replica at a time)
 */
public record Plan(String service, List<Action> actions) {
    /** Copies the list. */
    public Plan {
        actions = List.copyOf(actions);
    }

    /**
     * @param type an action type
     * @param <A>  the type
     * @return the actions of that type
     */
    public <A extends Action> List<A> of(Class<A> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** @return true if nothing has to change */
    public boolean converged() {
        return actions.stream().allMatch(a -> a instanceof Action.Keep);
    }
}
