package io.vitlens.training.parallel;

import io.vitlens.training.EpochFit;
import io.vitlens.training.LabelSmoothing;

import java.util.Map;

/** One epoch on {@code train.workers} ParallelWrapper workers of this machine (see {@link ParallelFit}). */
public final class ParallelEpochFit implements EpochFit {
    private final int workers;

    public ParallelEpochFit(int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers: " + workers + " must be >= 1");
        this.workers = workers;
    }

    /** One step per round of {@code workers} batches. */
    @Override
    public int stepsPerEpoch(int batches) {
        return ParallelFit.stepsPerEpoch(batches, workers);
    }

    @Override
    public Result fit(Input in) {
        double smoothing = in.labelSmoothing();
        in.grads().position(in.epoch(), in.step());
        EpochResult r = ParallelFit.fitEpoch(in.graph(), in.batches(), workers,
                smoothing > 0 ? ds -> ds.setLabels(LabelSmoothing.apply(ds.getLabels(), smoothing)) : null,
                in.maxBatches(), in.observer());
        Map<String, Double> groupNorms = in.grads().drainGroupNorms();
        double globalNorm = in.grads().drainGlobalNorm();
        return new Result(r.steps(), r.images(), r.meanLoss(), r.seconds(), globalNorm, groupNorms);
    }
}
