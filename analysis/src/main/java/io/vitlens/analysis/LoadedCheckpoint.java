package io.vitlens.analysis;

import io.vitlens.core.inspect.ModelInspector;

/**
 * A checkpoint's weights while they are analysed; {@link #close()} releases them (e.g. closes the DL4J graph,
 * freeing its native parameter memory at once rather than whenever the garbage collector runs).
 *
 * @param model   read access to the weights and activations
 * @param release what closing does
 */
public record LoadedCheckpoint(ModelInspector model, Runnable release) implements AutoCloseable {

    public LoadedCheckpoint {
        if (model == null) throw new IllegalArgumentException("loaded checkpoint: no model");
        if (release == null) release = () -> { };
    }

    @Override
    public void close() { release.run(); }
}
