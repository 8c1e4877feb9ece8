package io.vitlens.core.oracle;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vitlens.core.oracle.OracleFixtures.BATCH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oracle's forward pass and gradients against the independent plain-Java implementation. */
class SameDiffViTForwardTest {

    @Test
    void commonsMathErfIsAccurateEnoughToServeAsReference() {
        // erf(1) = 0.84270079294971486934..., erf(0.5) = 0.52049987781304653768... (A&S table 7.1);
        // a few ulps are far inside the 1e-10 the comparisons need
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.vitlens.core.oracle.OracleFixtures#variants")
    void forwardMatchesPlainJavaLoops(String name, ViTConfig cfg) {
        Map<String, INDArray> weights = OracleWeights.random(cfg, 11);
        INDArray images = OracleFixtures.images(cfg, 12);
        INDArray labels = OracleFixtures.labels(cfg);

        OracleResult r = SameDiffViT.run(cfg, weights, images, labels);
        PlainJavaViT.Result ref = new PlainJavaViT(cfg, PlainJavaViT.flatten(weights))
                .forward(PlainJavaViT.flat(images), PlainJavaViT.flat(labels), BATCH);

        assertArrayEquals(new long[]{BATCH, cfg.numClasses()}, r.logits().shape());
        for (int b = 0; b < BATCH; b++)
            for (int j = 0; j < cfg.numClasses(); j++)
                assertEquals(ref.logits()[b][j], r.logits().getDouble(b, j), 1e-10, "logit " + b + "," + j);
        assertEquals(ref.loss(), r.loss(), 1e-10);

        int t = cfg.numTokens();
        assertEquals(cfg.depth(), r.attention().size());
        for (int l = 0; l < cfg.depth(); l++) {
            INDArray a = r.attention().get(l);
            assertArrayEquals(new long[]{BATCH, cfg.heads(), t, t}, a.shape());
            double spread = 0;
            for (int b = 0; b < BATCH; b++)
                for (int h = 0; h < cfg.heads(); h++)
                    for (int i = 0; i < t; i++) {
                        double rowSum = 0;
                        for (int j = 0; j < t; j++) {
                            double v = a.getDouble(b, h, i, j);
                            assertEquals(ref.attention()[l][b][h][i][j], v, 1e-10, "attention " + l + "," + b + "," + h);
                            rowSum += v;
                            spread = Math.max(spread, Math.abs(v - 1.0 / t));
                        }
                        assertEquals(1.0, rowSum, 1e-12, "attention row sum");
                    }
            // the random weights must give a non-trivial pattern, or this comparison proves little
            assertTrue(spread > 0.05, "attention is nearly uniform: " + spread);
        }
    }

    /**
     * Every gradient entry against a central difference of the plain-Java loss. This checks the
     * autodiff gradients, and the tieQk convention, against a function SameDiff never saw.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.vitlens.core.oracle.OracleFixtures#variants")
    void gradientsMatchFiniteDifferencesOfPlainJava(String name, ViTConfig cfg) {
        Map<String, INDArray> weights = OracleWeights.random(cfg, 21);
        INDArray images = OracleFixtures.images(cfg, 22);
        INDArray labels = OracleFixtures.labels(cfg);
        OracleResult r = SameDiffViT.run(cfg, weights, images, labels);

        Map<String, double[]> flat = PlainJavaViT.flatten(weights);
        PlainJavaViT ref = new PlainJavaViT(cfg, flat);
        double[] img = PlainJavaViT.flat(images), lab = PlainJavaViT.flat(labels);
        double h = 1e-5;
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (String w : r.gradients().keySet()) {
            double[] analytic = PlainJavaViT.flat(r.gradients().get(w));
            double[] p = flat.get(w);
            assertEquals(p.length, analytic.length, w);
            for (int i = 0; i < p.length; i++) {
                double orig = p[i];
                p[i] = orig + h;
                double plus = ref.forward(img, lab, BATCH).loss();
                p[i] = orig - h;
                double minus = ref.forward(img, lab, BATCH).loss();
                p[i] = orig;
                double numeric = (plus - minus) / (2 * h);
                double err = Math.abs(analytic[i] - numeric);
                worst = Math.max(worst, err);
                if (err > 1e-8 + 1e-6 * Math.abs(numeric))
                    failures.add(w + "[" + i + "] analytic " + analytic[i] + " numeric " + numeric);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches (worst abs error " + worst + "): "
                + failures.subList(0, Math.min(10, failures.size())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.vitlens.core.oracle.OracleFixtures#variants")
    void gradientsCoverExactlyTheTrainableWeightsWithTheirShapes(String name, ViTConfig cfg) {
        Map<String, INDArray> weights = OracleWeights.random(cfg, 31);
        OracleResult r = SameDiffViT.run(cfg, weights, OracleFixtures.images(cfg, 32), OracleFixtures.labels(cfg));
        List<String> expected = new ArrayList<>(weights.keySet());
        if (cfg.posEmbedding() == PosEmbedding.SINCOS_2D) expected.remove("pos_embed");
        assertEquals(expected, new ArrayList<>(r.gradients().keySet()));
        for (String w : expected) {
            assertArrayEquals(weights.get(w).shape(), r.gradients().get(w).shape(), w);
            assertTrue(r.gradients().get(w).norm2Number().doubleValue() > 0, "no gradient reaches " + w);
        }
    }

    @Test
    void tiedKeyRowsGetExactlyZeroGradientAndQueryRowsDoNot() {
        for (ValueProjection vp : ValueProjection.values()) {
            ViTConfig cfg = OracleFixtures.tiny().withAblation(vp, true);
            OracleResult r = SameDiffViT.run(cfg, OracleWeights.random(cfg, 41), OracleFixtures.images(cfg, 42),
                    OracleFixtures.labels(cfg));
            int d = cfg.dim();
            for (int l = 0; l < cfg.depth(); l++) {
                INDArray gw = r.gradients().get("blocks." + l + ".attn.qkv.weight");
                INDArray gb = r.gradients().get("blocks." + l + ".attn.qkv.bias");
                assertEquals(0.0, gw.get(NDArrayIndex.interval(d, 2 * d), NDArrayIndex.all()).amaxNumber().doubleValue());
                assertEquals(0.0, gb.get(NDArrayIndex.interval(d, 2 * d)).amaxNumber().doubleValue());
                assertTrue(gw.get(NDArrayIndex.interval(0, d), NDArrayIndex.all()).amaxNumber().doubleValue() > 0);
            }
        }
    }

    @Test
    void callerArraysAreNotModified() {
        ViTConfig cfg = OracleFixtures.tiny();
        Map<String, INDArray> weights = OracleWeights.random(cfg, 51);
        Map<String, double[]> before = PlainJavaViT.flatten(weights);
        INDArray images = OracleFixtures.images(cfg, 52);
        double[] imagesBefore = PlainJavaViT.flat(images);
        SameDiffViT.run(cfg, weights, images, OracleFixtures.labels(cfg));
        for (String w : before.keySet()) assertArrayEquals(before.get(w), PlainJavaViT.flat(weights.get(w)), w);
        assertArrayEquals(imagesBefore, PlainJavaViT.flat(images));
    }
}
