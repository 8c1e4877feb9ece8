package io.vitlens.training.ema;

import io.vitlens.training.EvalResult;
import io.vitlens.training.Evaluator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/**
 * Evaluates a {@link WeightEma} on a copy of the training graph. The training graph itself is never given the
 * averaged weights, not even for a moment: its parameters, updater state and any caches a layer keeps stay
 * exactly as training left them, which a bit-identical resume needs.
 */
public final class EmaEvaluator {
    private final ComputationGraph copy;

    public EmaEvaluator(ComputationGraph training) {
        this.copy = training.clone();
        copy.setListeners(new java.util.ArrayList<>());   // no gradient monitor or UI on evaluation passes
    }

    public EvalResult evaluate(WeightEma ema, DataSetIterator it, List<String> classNames) {
        copy.params().assign(ema.params().reshape(copy.params().shape()));
        return Evaluator.evaluate(copy, it, classNames);
    }
}
