package io.vitlens.training.listeners;

import io.vitlens.training.NonFiniteException;
import io.vitlens.training.ParameterGroups;
import io.vitlens.training.optim.GradientClipping;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs between backprop and the updater (DL4J's {@code onGradientCalculation} hook): measures the L2 norm of
 * each parameter group's gradient (claim C12) and the global norm, stops on NaN/Inf naming the first bad group,
 * then hands the global norm to the run's {@link GradientClipping}, which scales the gradient in place, so the
 * updater sees the clipped gradient. The norms recorded are those before clipping.
 */
public final class GradientMonitor extends BaseTrainingListener {
    private final List<ParameterGroups.Group> groups;
    private final GradientClipping clipping;
    private final Map<String, double[]> sums = new LinkedHashMap<>();  // name -> {sum of norms, count}
    private double globalNormSum;
    private long steps;
    private int epoch;
    private long step;

    public GradientMonitor(List<ParameterGroups.Group> groups, GradientClipping clipping) {
        if (clipping == null) throw new IllegalArgumentException("clipping: missing (GradientClipping.OFF for none)");
        this.groups = groups;
        this.clipping = clipping;
        for (ParameterGroups.Group g : groups) sums.put(g.name(), new double[2]);
    }

    /** With clipping to {@code maxNorm} ({@code train.grad-clip}, 0 = off). */
    public GradientMonitor(List<ParameterGroups.Group> groups, double maxNorm) {
        this(groups, new GradientClipping(maxNorm));
    }

    /** Where training is, for error messages. */
    public void position(int epoch, long step) {
        this.epoch = epoch;
        this.step = step;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph graph = (ComputationGraph) model;
        // DL4J's backprop leaves the gradient of the batch SUM of losses here; its updater divides by the
        // batch size later. Norms and the clipping threshold refer to the batch-mean loss, as in PyTorch.
        double perExample = 1.0 / Math.max(1, graph.batchSize());
        Map<String, float[]> copies = new java.util.HashMap<>();
        Map<String, Double> norms = new LinkedHashMap<>();
        List<String> bad = new java.util.ArrayList<>();
        for (ParameterGroups.Group g : groups) {
            double norm = g.gradientNorm(graph, copies) * perExample;
            norms.put(g.name(), norm);
            if (!Double.isFinite(norm)) bad.add(g.name());
        }
        if (!bad.isEmpty())   // before anything is recorded or clipped: the updater never sees this gradient
            throw new NonFiniteException("gradient of parameter group '" + bad.get(0) + "' became " + norms.get(bad.get(0))
                    + " at epoch " + epoch + ", step " + step + " (first in model order; " + bad.size() + " of "
                    + groups.size() + " groups non-finite: " + abbreviate(bad) + ")");
        for (Map.Entry<String, Double> n : norms.entrySet()) {
            double[] s = sums.get(n.getKey());
            s[0] += n.getValue();
            s[1]++;
        }
        INDArray flat = graph.getFlattenedGradients();
        double global = flat.norm2Number().doubleValue() * perExample;
        if (!Double.isFinite(global)) {
            // every element is finite (the groups are), but the sum of squares overflowed in float: a huge yet
            // finite gradient, which clipping tames. Take the norm in double from the groups' norms instead.
            double sq = 0;
            for (double n : norms.values()) sq += n * n;
            global = Math.sqrt(sq);
        }
        if (!Double.isFinite(global))
            throw new NonFiniteException("gradient norm became " + global + " at epoch " + epoch + ", step " + step);
        globalNormSum += global;
        steps++;
        clipping.apply(flat, global);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + ", ... (" + (names.size() - 6) + " more)";
    }

    /** Mean per-group gradient norm (before clipping) since the last call, and resets. */
    public Map<String, Double> drainGroupNorms() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            out.put(e.getKey(), s[1] == 0 ? 0.0 : s[0] / s[1]);
            s[0] = 0;
            s[1] = 0;
        }
        return out;
    }

    /** Mean global gradient norm (before clipping) since the last call, and resets. */
    public double drainGlobalNorm() {
        double m = steps == 0 ? 0 : globalNormSum / steps;
        globalNormSum = 0;
        steps = 0;
        return m;
    }
}
