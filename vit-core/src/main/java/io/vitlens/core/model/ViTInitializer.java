package io.vitlens.core.model;

import io.vitlens.core.model.layers.ParamFill;
import io.vitlens.core.model.layers.ParamSpec;
import io.vitlens.core.model.layers.ParamSpecLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The timm ViT initialisation as its own step (style.md habit 7): trunc-normal(std 0.02, cut at
 * +-2 std) for the CLS token, position tables and every linear weight (patch projection and head
 * included), zeros for biases, LayerNorm scale 1 and shift 0.
 *
 * <p>Deterministic from the seed alone: each parameter draws from its own generator, seeded by the
 * model seed and the parameter's graph name, so the same seed gives identical parameters whatever the
 * ND4J RNG state, thread or layer order, and adding a layer does not change the others.
 */
public final class ViTInitializer {

    private ViTInitializer() {
    }

    /** Overwrites every parameter of {@code graph} (built by {@link ViTGraph}). */
    public static void initialize(ComputationGraph graph, long seed) {
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.conf().getLayer() instanceof ParamSpecLayer p) {
                for (ParamSpec s : p.paramSpecs())
                    ParamFill.fill(s.role(), layer.getParam(s.key()), rng(seed, name, s.key()));
            } else if (name.equals(ViTGraph.OUTPUT)) {
                INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
                ParamFill.fill(ParamSpec.Role.WEIGHT, w, rng(seed, name, DefaultParamInitializer.WEIGHT_KEY));
                layer.getParam(DefaultParamInitializer.BIAS_KEY).assign(0);
            } else {
                throw new IllegalStateException("no initialisation rule for layer '" + name + "' ("
                        + layer.getClass().getSimpleName() + ")");
            }
        }
    }

    private static SplittableRandom rng(long seed, String layer, String key) {
        long h = 1125899906842597L;
        for (byte c : (layer + "/" + key).getBytes(StandardCharsets.UTF_8)) h = 31 * h + c;
        return new SplittableRandom(seed ^ h);
    }
}
