package io.vitlens.core.model.layers;

import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TestModels;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GradientCheckUtil on each hand-written layer alone, followed only by a DL4J loss layer (MSE on tokens,
 * or softmax cross-entropy on pooled features), in double precision.
 */
class LayerGradientCheckTest {

    private static DataType previous;

    @BeforeAll
    static void doubles() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    @Test
    void patchEmbeddingEveryPositionVariant() {
        for (PosEmbedding p : PosEmbedding.values()) {
            ViTConfig cfg = TestModels.tiny().withPosEmbedding(p);
            ComputationGraph g = graph(new PatchEmbeddingLayer("patch", cfg), tokenLoss(cfg),
                    InputType.convolutional(cfg.imageSize(), cfg.imageSize(), cfg.channels()));
            assertTrue(check(g, TestModels.images(cfg, 2, 1, DataType.DOUBLE), gaussian(3, 2, cfg.numTokens(), cfg.dim())),
                    "patch embedding " + p);
        }
    }

    @Test
    void transformerBlockEveryAblation() {
        for (ValueProjection v : ValueProjection.values()) {
            for (boolean tie : new boolean[]{false, true}) {
                ViTConfig cfg = TestModels.tiny().withAblation(v, tie);
                ComputationGraph g = graph(new TransformerBlockLayer("block", cfg, 0), tokenLoss(cfg),
                        InputType.recurrent(cfg.dim(), cfg.numTokens(), RNNFormat.NWC));
                INDArray x = gaussian(5, 2, cfg.numTokens(), cfg.dim());
                assertTrue(check(g, x, gaussian(6, 2, cfg.numTokens(), cfg.dim())), "block v=" + v + " tieQk=" + tie);
            }
        }
    }

    @Test
    void finalNormPoolBothPoolings() {
        for (Pooling p : Pooling.values()) {
            ViTConfig cfg = TestModels.tiny().withPooling(p);
            ComputationGraph g = graph(new FinalNormPoolLayer("norm", cfg), new OutputLayer.Builder(
                            LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(cfg.dim())
                            .nOut(cfg.numClasses()).build(),
                    InputType.recurrent(cfg.dim(), cfg.numTokens(), RNNFormat.NWC));
            INDArray x = gaussian(7, 3, cfg.numTokens(), cfg.dim());
            assertTrue(check(g, x, TestModels.labels(cfg, 3, 8, DataType.DOUBLE)), "final norm " + p);
        }
    }

    private static Layer tokenLoss(ViTConfig cfg) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nIn(cfg.dim()).nOut(cfg.dim()).dataFormat(RNNFormat.NWC).build();
    }

    private static ComputationGraph graph(Layer layer, Layer loss, InputType in) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.DOUBLE).updater(new NoOp()).activation(Activation.IDENTITY)
                .graphBuilder().addInputs("in").setInputTypes(in)
                .addLayer("layer", layer, "in")
                .addLayer("loss", loss, "layer")
                .setOutputs("loss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        TestModels.randomize(g, 9);
        return g;
    }

    private static boolean check(ComputationGraph g, INDArray x, INDArray y) {
        TestModels.showGradientCheckFailures();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(g).inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Nd4j.createFromArray(v).reshape('c', shape);
    }
}
