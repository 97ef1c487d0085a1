package dev.orchestrator.scheduler;

/** Whether a node takes part in the cluster right now, as its heartbeats tell. */
public enum NodeStatus {
    /** Heartbeats arrive: the node can run replicas. */
    READY,
    /** Heartbeats stopped: nothing is placed there, its replicas are rescheduled elsewhere. */
    DOWN
}
