package io.vitlens.training;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoupled weight decay (AdamW-style) must touch linear weights only: with SGD(lr) and decay wd, one step
 * moves a weight by -lr*g - lr*wd*w and every other parameter (biases, LayerNorm, pos_embed, cls_token)
 * by -lr*g exactly (g the gradient of the batch-mean loss).
 */
class WeightDecayTest {
    private static final Set<String> DECAYED = Set.of("patchEmbed_W", "block0_qkvW", "block0_projW", "block0_fc1W",
            "block0_fc2W", "head_W");

    @Test
    void decayOnlyOnLinearWeights() {
        double lr = 0.1, wd = 0.5;
        ViTConfig c = ViTConfig.of(8, 3, 4, 8, 1, 2, 16, 3);
        ComputationGraph g = ViTGraph.create(c, new TrainSettings(5, new Sgd(lr), wd, DataType.DOUBLE));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 3, 8, 8);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) y.putScalar(i, i % 3, 1.0);
        DataSet ds = new DataSet(x, y);

        Map<String, INDArray> before = new LinkedHashMap<>();
        g.paramTable().forEach((k, v) -> before.put(k, v.dup()));
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        Map<String, INDArray> grad = new LinkedHashMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> grad.put(k, v.dup()));

        g.fit(ds);
        int decayed = 0;
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            String k = e.getKey();
            INDArray delta = e.getValue().sub(before.get(k));
            // DL4J's backprop gives the gradient of the batch SUM of losses; the updater divides by B
            INDArray expected = grad.get(k).mul(-lr / 4);
            if (DECAYED.contains(k)) {
                expected.subi(before.get(k).mul(lr * wd));
                decayed++;
            }
            double err = delta.sub(expected).norm2Number().doubleValue();
            assertTrue(err < 1e-9 * Math.max(1, expected.norm2Number().doubleValue()),
                    k + ": update differs from the decoupled-decay rule by " + err);
        }
        assertEquals(DECAYED.size(), decayed, "every decayed parameter exists: " + g.paramTable().keySet());
    }
}
