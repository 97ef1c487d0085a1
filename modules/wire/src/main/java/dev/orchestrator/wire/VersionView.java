package dev.orchestrator.wire;

import java.util.List;

/**
 * The answer of {@code GET /api/version}.
 *
 * @param version          the server's release, e.g. {@code 0.1.0}
 * @param protocolVersions the versions of the node protocol it speaks (agents must speak one of them)
 */
public record VersionView(String version, List<Integer> protocolVersions) {
    /** Copies the list. */
    public VersionView {
        protocolVersions = protocolVersions == null ? List.of() : List.copyOf(protocolVersions);
    }
}
