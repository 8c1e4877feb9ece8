package io.vitlens.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.Map;

/** One epoch on the calling thread, batch by batch ({@code train.workers = 1}). */
final class LocalEpochFit implements EpochFit {

    @Override
    public int stepsPerEpoch(int batches) {
        return batches;
    }

    @Override
    public boolean supportsEma() {
        return true;
    }

    @Override
    public Result fit(Input in) {
        ComputationGraph graph = in.graph();
        DataSetIterator it = in.batches();
        double smoothing = in.labelSmoothing();
        long step = in.step();
        double lossSum = 0;
        long seen = 0;
        int batches = 0;
        long t0 = System.nanoTime();
        while (it.hasNext() && (in.maxBatches() == 0 || batches < in.maxBatches())) {
            DataSet ds = it.next();
            if (smoothing > 0) ds = new DataSet(ds.getFeatures(), LabelSmoothing.apply(ds.getLabels(), smoothing));
            in.grads().position(in.epoch(), step);
            graph.fit(ds);
            double loss = graph.score() - graph.calcRegularizationScore(true);
            // checked per batch, so the message names the step
            if (!Double.isFinite(loss))
                throw new NonFiniteException("training loss became " + loss + " at epoch " + in.epoch() + ", step " + step);
            if (in.ema() != null) in.ema().update(graph.params());
            step++;
            batches++;
            long b = ds.getFeatures().size(0);
            lossSum += loss * b;
            seen += b;
            in.observer().batchDone(seen, loss);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> groupNorms = in.grads().drainGroupNorms();
        double globalNorm = in.grads().drainGlobalNorm();
        return new Result(batches, seen, seen == 0 ? 0 : lossSum / seen, seconds, globalNorm, groupNorms);
    }
}
