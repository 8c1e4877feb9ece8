package io.vitlens.training.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Calls a {@link TrainingListener} under a lock shared by all listeners of one parallel epoch.
 *
 * <p>Why: {@code ParallelWrapper} hands the same listener instance to every worker's model, so its
 * callbacks run on several threads at once. The trainer's listeners (e.g. {@code GradientMonitor}, which
 * sums gradient norms and clips in place) were written for one thread; serialising them keeps them
 * correct without changing them. The cost is that the listener work of the workers does not overlap,
 * a few milliseconds per step for the gradient-norm bookkeeping.
 */
final class SerializedListener implements TrainingListener {
    private final TrainingListener delegate;
    private final Object lock;

    SerializedListener(TrainingListener delegate, Object lock) {
        this.delegate = delegate;
        this.lock = lock;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        synchronized (lock) { delegate.iterationDone(model, iteration, epoch); }
    }

    @Override
    public void onEpochStart(Model model) {
        synchronized (lock) { delegate.onEpochStart(model); }
    }

    @Override
    public void onEpochEnd(Model model) {
        synchronized (lock) { delegate.onEpochEnd(model); }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        synchronized (lock) { delegate.onForwardPass(model, activations); }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        synchronized (lock) { delegate.onForwardPass(model, activations); }
    }

    @Override
    public void onGradientCalculation(Model model) {
        synchronized (lock) { delegate.onGradientCalculation(model); }
    }

    @Override
    public void onBackwardPass(Model model) {
        synchronized (lock) { delegate.onBackwardPass(model); }
    }
}
