package dev.orchestrator.app;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;

/** The names commands carry, validated the one way, and the errors for unknown ones. */
final class Names {
    private Names() {
    }

    static String service(String name) {
        return Validation.dnsLabel("service name", name);
    }

    static String node(String name) {
        return Validation.dnsLabel("node name", name);
    }

    static OrchestratorException noService(String name) {
        return new OrchestratorException(ErrorCode.NOT_FOUND, "no service named '" + name + "'");
    }

    static OrchestratorException noNode(String name) {
        return new OrchestratorException(ErrorCode.NOT_FOUND, "no node named '" + name + "'");
    }
}
