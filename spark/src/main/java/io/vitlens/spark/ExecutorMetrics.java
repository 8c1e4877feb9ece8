package io.vitlens.spark;

import io.vitlens.training.NonFiniteException;
import io.vitlens.training.ParameterGroups;
import io.vitlens.training.listeners.GradientMonitor;
import org.apache.spark.SparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential trainer's per-batch bookkeeping, run on the executors: the {@link GradientMonitor} of the
 * vit-lens trainer (per-group and global gradient norms, NaN/Inf check, global-norm clipping to
 * {@code train.grad-clip}) and the batch cross-entropy, summed into Spark accumulators that the driver reads
 * after the epoch. One instance serves one epoch.
 *
 * <p>DL4J ships this listener to every worker inside the task, so it is {@link Serializable}; the parameter
 * groups travel as plain arrays and the monitor is rebuilt on the executor. Accumulator sums count a task
 * again if Spark re-runs it (a lost executor): the epoch's numbers are then slightly off, the weights are not.
 */
final class ExecutorMetrics extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GroupSpec[] groups;
    private final double gradClip;
    private final int epoch;
    private final DoubleAccumulator lossSum;
    private final LongAccumulator images;
    private final LongAccumulator batches;
    private final DoubleAccumulator globalNormSum;
    private final LongAccumulator steps;
    private final Map<String, DoubleAccumulator> groupNormSums = new LinkedHashMap<>();
    private transient GradientMonitor monitor;

    ExecutorMetrics(SparkContext sc, List<ParameterGroups.Group> groups, double gradClip, int epoch) {
        this.groups = groups.stream().map(GroupSpec::of).toArray(GroupSpec[]::new);
        this.gradClip = gradClip;
        this.epoch = epoch;
        this.lossSum = sc.doubleAccumulator("vitlens.lossSum");
        this.images = sc.longAccumulator("vitlens.images");
        this.batches = sc.longAccumulator("vitlens.batches");
        this.globalNormSum = sc.doubleAccumulator("vitlens.gradNormGlobal");
        this.steps = sc.longAccumulator("vitlens.gradientSteps");
        for (ParameterGroups.Group g : groups) groupNormSums.put(g.name(), sc.doubleAccumulator("vitlens.gradNorm." + g.name()));
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (monitor == null) {
            List<ParameterGroups.Group> g = new ArrayList<>();
            for (GroupSpec s : groups) g.add(s.toGroup());
            monitor = new GradientMonitor(g, gradClip);
        }
        monitor.position(epoch, ((ComputationGraph) model).getIterationCount());   // for its error messages
        monitor.onGradientCalculation(model);   // measures, checks for NaN/Inf, clips in place
        for (Map.Entry<String, Double> e : monitor.drainGroupNorms().entrySet()) groupNormSums.get(e.getKey()).add(e.getValue());
        globalNormSum.add(monitor.drainGlobalNorm());
        steps.add(1);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        ComputationGraph graph = (ComputationGraph) model;
        double loss = graph.score() - graph.calcRegularizationScore(true);   // the score includes weight decay
        long b = graph.batchSize();
        if (!Double.isFinite(loss))
            throw new NonFiniteException("training loss became " + loss + " at epoch " + epoch + ", step " + iteration
                    + " on a Spark worker");
        lossSum.add(loss * b);
        images.add(b);
        batches.add(1);
    }

    /** Mean training cross-entropy per image this epoch; NaN before any batch. */
    double meanLoss() {
        return images.value() == 0 ? Double.NaN : lossSum.value() / images.value();
    }

    long images() { return images.value(); }

    long batches() { return batches.value(); }

    /** Mean global gradient norm (before clipping) over all worker batches. */
    double meanGlobalNorm() {
        return steps.value() == 0 ? 0.0 : globalNormSum.value() / steps.value();
    }

    /** Mean gradient norm per parameter group (before clipping), in group order. */
    Map<String, Double> meanGroupNorms() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, DoubleAccumulator> e : groupNormSums.entrySet())
            out.put(e.getKey(), steps.value() == 0 ? 0.0 : e.getValue().value() / steps.value());
        return out;
    }

    /** A {@link ParameterGroups.Group} as Java-serialisable arrays (ParameterGroups' records are not {@code Serializable}). */
    private record GroupSpec(String name, String[] layers, String[] keys, long[] from, long[] to) implements Serializable {
        static GroupSpec of(ParameterGroups.Group g) {
            int n = g.slices().size();
            String[] layers = new String[n];
            String[] keys = new String[n];
            long[] from = new long[n];
            long[] to = new long[n];
            for (int i = 0; i < n; i++) {
                ParameterGroups.Slice s = g.slices().get(i);
                layers[i] = s.layer();
                keys[i] = s.key();
                from[i] = s.from();
                to[i] = s.to();
            }
            return new GroupSpec(g.name(), layers, keys, from, to);
        }

        ParameterGroups.Group toGroup() {
            List<ParameterGroups.Slice> slices = new ArrayList<>();
            for (int i = 0; i < layers.length; i++) slices.add(new ParameterGroups.Slice(layers[i], keys[i], from[i], to[i]));
            return new ParameterGroups.Group(name, slices);
        }
    }
}
