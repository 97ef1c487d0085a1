package dev.orchestrator.api.spi;

/**
 * How far a pull has come, summed over the image's layers as far as the registry has
 * announced them (a total can still grow while layers are being listed).
 *
 * @param doneBytes  bytes downloaded so far
 * @param totalBytes bytes of the layers known so far, 0 while none is known
 * @param layers     layers known so far
 * @param layersDone layers downloaded (or already present)
 */
public record PullProgress(long doneBytes, long totalBytes, int layers, int layersDone) {
}
