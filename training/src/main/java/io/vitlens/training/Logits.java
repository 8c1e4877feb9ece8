package io.vitlens.training;

import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Pre-softmax class scores. The graph's output layer applies softmax, so logits are taken from the pooled
 * features (output of the final-norm layer) and the head's own parameters: z = h W + b.
 */
public final class Logits {
    private Logits() {}

    /** images [B, C, S, S] (normalised) -> logits [B, K]. */
    public static INDArray of(ComputationGraph graph, INDArray images) {
        Map<String, INDArray> acts = graph.feedForward(new INDArray[]{images}, false, false);
        INDArray pooled = acts.get(ViTGraph.NORM);                                  // [B, D]
        INDArray w = graph.getLayer(ViTGraph.OUTPUT).getParam("W");                 // [D, K]
        INDArray b = graph.getLayer(ViTGraph.OUTPUT).getParam("b");                 // [1, K]
        return pooled.mmul(w).addiRowVector(b);
    }
}
