package dev.orchestrator.kernel;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;

/** A plugin is missing, duplicated or cannot be loaded. The message names the plugin and its origin. */
public final class PluginException extends OrchestratorException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what was found */
    public PluginException(String message) {
        super(ErrorCode.PLUGIN_ERROR, message);
    }

    /**
     * @param message what was expected and what was found
     * @param cause   the underlying failure
     */
    public PluginException(String message, Throwable cause) {
        super(ErrorCode.PLUGIN_ERROR, message, cause);
    }
}
