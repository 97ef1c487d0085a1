package dev.orchestrator.it;

/**
 * {@link MultiNodeIT}'s tests with the server running its own node as {@code node-3} (and two
 * agents): the server's node is placed on, drained, killed with the server and adopted again
 * exactly like an agent's, because it is the same node runtime behind the same protocol.
 */
class MultiNodeLocalIT extends MultiNodeIT {
}
