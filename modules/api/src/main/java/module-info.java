/**
 * The orchestrator's public contract: domain records, error codes and the plugin SPI.
 *
 * <p>This module depends on {@code java.base} only, so a third-party plugin compiles against
 * it alone. It exports exactly two packages: the model ({@code dev.orchestrator.api}) and the
 * extension points ({@code dev.orchestrator.api.spi}).
 */
module dev.orchestrator.api {
    exports dev.orchestrator.api;
    exports dev.orchestrator.api.spi;
}
