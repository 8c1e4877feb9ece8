package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.Map;

/**
 * Named arrays a layer keeps between its forward and backward pass (and reuses across iterations),
 * allocated outside every DL4J workspace so that closing a workspace never invalidates them.
 *
 * <p>Each name owns one flat buffer that only grows; a request returns a dense view of its prefix with
 * the asked shape. So a smaller last batch or an evaluation batch does not reallocate, and a training
 * step allocates nothing after the first. Contents are uninitialised. Not thread-safe: one cache per
 * layer instance, as DL4J gives each training thread its own model copy.
 */
public final class ArrayCache {

    private final Map<String, INDArray> buffers = new HashMap<>();

    /** A dense c-order array of {@code shape} and type {@code t}, owned by {@code name}; contents undefined. */
    public INDArray get(String name, DataType t, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        INDArray flat = buffers.get(name);
        if (flat == null || flat.dataType() != t || flat.length() < n) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                flat = Nd4j.createUninitialized(t, Math.max(n, 1));
            }
            buffers.put(name, flat);
        }
        INDArray prefix = flat.length() == n ? flat : flat.get(NDArrayIndex.interval(0, n));
        return prefix.reshape('c', shape);
    }

    /** Forgets every buffer (their memory is released when garbage-collected). */
    public void clear() {
        buffers.clear();
    }
}
