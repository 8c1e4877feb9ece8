package io.vitlens.core.model;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.FinalNormPoolLayer;
import io.vitlens.core.model.layers.PatchEmbeddingLayer;
import io.vitlens.core.model.layers.TransformerBlockLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the ViT of docs/model-spec.md as a DL4J {@link ComputationGraph} of hand-written layers:
 * {@code image} [B, C, S, S] -> {@code patchEmbed} [B, T, D] -> {@code block0} .. {@code block(L-1)}
 * [B, T, D] -> {@code norm} [B, D] -> {@code head} (DL4J's softmax {@link OutputLayer}, mean
 * cross-entropy; its weight [D, K] is timm's {@code head.weight} transposed).
 */
public final class ViTGraph {

    public static final String INPUT = "image";
    public static final String OUTPUT = "head";
    public static final String PATCH_EMBED = "patchEmbed";
    public static final String NORM = "norm";

    private ViTGraph() {
    }

    /** Vertex name of encoder block {@code i}: {@code block0}, {@code block1}, ... */
    public static String blockName(int i) {
        return "block" + i;
    }

    /** The graph configuration; parameters are not yet initialised (see {@link #create}). */
    public static ComputationGraphConfiguration configuration(ViTConfig cfg, TrainSettings t) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(t.seed())
                .dataType(t.dataType())
                .updater(t.updater())
                .weightDecay(t.weightDecay(), true)
                .activation(Activation.IDENTITY)
                .weightInit(WeightInit.ZERO) // every parameter is set by ViTInitializer
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(cfg.imageSize(), cfg.imageSize(), cfg.channels()));
        g.addLayer(PATCH_EMBED, new PatchEmbeddingLayer(PATCH_EMBED, cfg), INPUT);
        String previous = PATCH_EMBED;
        for (int i = 0; i < cfg.depth(); i++) {
            g.addLayer(blockName(i), new TransformerBlockLayer(blockName(i), cfg, i), previous);
            previous = blockName(i);
        }
        g.addLayer(NORM, new FinalNormPoolLayer(NORM, cfg), previous);
        g.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name(OUTPUT)
                .activation(Activation.SOFTMAX)
                .nIn(cfg.dim())
                .nOut(cfg.numClasses())
                .build(), NORM);
        return withSingleWeightDecay(g.setOutputs(OUTPUT).build());
    }

    /**
     * DL4J 1.0.0-M2.1 puts the builder's {@code WeightDecay} into every layer's regularization list twice
     * (once when the layer is added, once when the graph is built), so weights decay at twice the configured
     * rate (measured: one SGD step moved a weight by -lr*g - 2*lr*wd*w). Keep one copy of each term.
     */
    private static ComputationGraphConfiguration withSingleWeightDecay(ComputationGraphConfiguration conf) {
        for (org.deeplearning4j.nn.conf.graph.GraphVertex v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer bl) {
                if (bl.getRegularization() != null)
                    bl.setRegularization(new java.util.ArrayList<>(new java.util.LinkedHashSet<>(bl.getRegularization())));
                if (bl.getRegularizationBias() != null)
                    bl.setRegularizationBias(new java.util.ArrayList<>(new java.util.LinkedHashSet<>(bl.getRegularizationBias())));
            }
        }
        return conf;
    }

    /** A ready model: graph built, initialised, parameters drawn by {@link ViTInitializer} from {@code t.seed()}. */
    public static ComputationGraph create(ViTConfig cfg, TrainSettings t) {
        ComputationGraph graph = new ComputationGraph(configuration(cfg, t));
        graph.init();
        ViTInitializer.initialize(graph, t.seed());
        return graph;
    }

    /** Total number of parameters (the fixed sincos table is not a parameter). */
    public static long parameterCount(ComputationGraph g) {
        return g.numParams();
    }
}
