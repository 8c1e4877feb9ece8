package io.vitlens.core.model;

import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.Engine;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Test fixtures for the two engines: graphs built on a chosen engine, and the variant grid they are compared over. */
public final class Engines {

    private Engines() {
    }

    /** Runs {@code body} with {@code -Dvitlens.engine} set to {@code engine}, restoring the old value after. */
    public static <T> T with(Engine engine, Supplier<T> body) {
        String old = System.getProperty(Engine.PROPERTY);
        System.setProperty(Engine.PROPERTY, engine.id());
        try {
            return body.get();
        } finally {
            if (old == null) System.clearProperty(Engine.PROPERTY);
            else System.setProperty(Engine.PROPERTY, old);
        }
    }

    /** {@link ViTGraph#create} on {@code engine}. */
    public static ComputationGraph create(ViTConfig cfg, TrainSettings t, Engine engine) {
        return with(engine, () -> ViTGraph.create(cfg, t));
    }

    /**
     * Every position embedding with both poolings, then the ablations (identity value projection, tied
     * Q/K, both) each with a different position embedding and pooling: 11 tiny configurations.
     */
    public static List<ViTConfig> variantGrid() {
        ViTConfig t = TestModels.tiny();
        List<ViTConfig> all = new ArrayList<>();
        for (PosEmbedding p : PosEmbedding.values())
            for (Pooling pool : Pooling.values()) all.add(t.withPosEmbedding(p).withPooling(pool));
        all.add(t.withAblation(ValueProjection.IDENTITY, false));
        all.add(t.withPosEmbedding(PosEmbedding.LEARNED_2D).withPooling(Pooling.MEAN).withAblation(ValueProjection.LEARNED, true));
        all.add(t.withPosEmbedding(PosEmbedding.SINCOS_2D).withAblation(ValueProjection.IDENTITY, true));
        return all;
    }

    /**
     * As {@link TestModels#randomize} in distribution (N(0, 0.4^2), LayerNorm scales 1 + N(0, 0.2^2)), but set
     * through ND4J's own API only (no writes through host pointers), so it also reaches a CUDA device's buffers.
     */
    public static void randomizeThroughNd4j(ComputationGraph g, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] p = new double[Math.toIntExact(g.numParams())];
        for (int i = 0; i < p.length; i++) p[i] = 0.4 * r.nextGaussian();
        g.setParams(org.nd4j.linalg.factory.Nd4j.createFromArray(p).reshape(1, p.length).castTo(g.params().dataType()));
        for (org.deeplearning4j.nn.api.Layer l : g.getLayers())
            for (java.util.Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : l.paramTable().entrySet())
                if (l.conf().getLayer() instanceof io.vitlens.core.model.layers.ParamSpecLayer s && s.paramSpecs().stream()
                        .anyMatch(ps -> ps.key().equals(e.getKey())
                                && ps.role() == io.vitlens.core.model.layers.ParamSpec.Role.NORM_GAIN))
                    e.getValue().muli(0.5).addi(1.0);
    }

    public static String name(ViTConfig c) {
        return Variants.name(c);
    }
}
