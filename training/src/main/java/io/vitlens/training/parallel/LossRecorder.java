package io.vitlens.training.parallel;

import io.vitlens.training.NonFiniteException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Records every worker's batch loss after its optimiser step, stops training on a non-finite loss and
 * reports progress. Only called through a {@link SerializedListener}, so its sums need no further locking.
 *
 * <p>The loss is DL4J's score minus the regularisation score: the score includes the weight-decay term
 * (dl4j-notes.md), the metric is the cross-entropy alone, as in the sequential trainer.
 */
final class LossRecorder extends BaseTrainingListener {
    private final BatchObserver observer;
    private double weightedLoss;
    private long images;
    private int batches;

    LossRecorder(BatchObserver observer) {
        this.observer = observer;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        ComputationGraph graph = (ComputationGraph) model;
        double loss = graph.score() - graph.calcRegularizationScore(true);
        long b = graph.batchSize();
        if (!Double.isFinite(loss))
            throw new NonFiniteException("training loss became " + loss + " on " + Thread.currentThread().getName()
                    + " at iteration " + iteration + " (a batch of " + b + " images; " + batches
                    + " batches of this epoch had finished)");
        weightedLoss += loss * b;
        images += b;
        batches++;
        if (observer != null) observer.batchDone(images, loss);
    }

    int batches() { return batches; }

    long images() { return images; }

    double meanLoss() { return images == 0 ? Double.NaN : weightedLoss / images; }
}
