package io.vitlens.core.model.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * Which implementation runs the hand-written layers' forward and backward passes.
 *
 * <p>{@link #FAST} is the CPU engine of {@code model.kernels}: OpenBLAS on sub-matrices and Vector API
 * loops over the arrays' host memory. It is the fastest on the CPU backend and cannot run anywhere else.
 * {@link #PORTABLE} ({@code model.portable}) is written with ND4J / libnd4j ops only (products through
 * {@code Nd4j.gemm} and batched {@code matmul}, softmax, erf, reductions, broadcasts), so it runs on any
 * ND4J backend, CUDA included; on the CPU it computes the same function to float rounding (tested).
 *
 * <p>The choice is the system property {@value #PROPERTY}: {@code auto} (default: fast on the CPU
 * backend, portable on any other), {@code fast} or {@code portable}. A layer reads it once, when it is
 * instantiated, so every layer of one graph runs on one engine.
 */
public enum Engine {
    FAST("fast"),
    PORTABLE("portable");

    /** The system property that chooses the engine (e.g. {@code VIT_JAVA_OPTS=-Dvitlens.engine=portable}). */
    public static final String PROPERTY = "vitlens.engine";

    private final String id;

    Engine(String id) {
        this.id = id;
    }

    /** The name used in the property, in metrics.jsonl and in checkpoint.json: {@code fast} or {@code portable}. */
    public String id() {
        return id;
    }

    /** The engine the property chooses on the backend ND4J has loaded. */
    public static Engine fromSystemProperty() {
        return parse(System.getProperty(PROPERTY, "auto"), Nd4j.getEnvironment().isCPU());
    }

    /** {@code value} (auto | fast | portable, any case) resolved for a CPU backend or not; unknown values throw. */
    public static Engine parse(String value, boolean cpuBackend) {
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto", "" -> cpuBackend ? FAST : PORTABLE;
            case "fast" -> FAST;
            case "portable" -> PORTABLE;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + ": unknown engine; known: auto, fast, portable");
        };
    }

    /** The engine the hand-written layers of {@code graph} run on (they all share one). */
    public static Engine of(ComputationGraph graph) {
        for (Layer l : graph.getLayers())
            if (l instanceof ViTLayer<?> v) return v.engine();
        throw new IllegalArgumentException("the graph has no vit-lens layer");
    }
}
