package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.HeadTypeRules;
import io.vitlens.analysis.PositionEmbeddingStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The long-schedule trajectory (issue #18): one row per analysed checkpoint, in epoch order, with the figures a
 * reader follows over training. Only reads what the analysis measured; claims.md's rules are not changed.
 *
 * @param uniformAttentionMeanDistancePx mean attention distance of uniform attention on this grid (the yardstick
 *                                       of the fractions)
 * @param headTypes                      the C6 types, in the taxonomy's rule order (the count columns)
 * @param layer0Heads                    heads in layer 0 (the distribution columns)
 * @param massThresholds                 what each of {@link LargestMass#MASSES} must reach for its C6 rule
 * @param rows                           one per analysed checkpoint, ascending epoch
 */
public record Trajectory(double uniformAttentionMeanDistancePx, List<String> headTypes, int layer0Heads,
                         Map<String, Double> massThresholds, List<TrajectoryRow> rows) {

    /**
     * @param testAccuracyByEpoch top-1 test accuracy per epoch (from metrics.jsonl); epochs missing here stay blank
     */
    public static Trajectory of(AnalysisResult r, Map<Integer, Double> testAccuracyByEpoch) {
        double uniform = r.uniformAttentionMeanDistancePx();
        HeadTypeRules rules = r.headTypeRules() != null ? r.headTypeRules() : HeadTypeRules.defaults();
        List<String> types = rules.order();
        List<TrajectoryRow> rows = new ArrayList<>();
        for (CheckpointAnalysis c : r.checkpoints()) rows.add(row(c, uniform, types, testAccuracyByEpoch.get(c.epoch())));
        return new Trajectory(uniform, types, r.model().heads(), LargestMass.thresholds(rules), rows);
    }

    private static TrajectoryRow row(CheckpointAnalysis c, double uniform, List<String> types, Double accuracy) {
        // layer 0's heads by index: [H]
        double[] layer0 = c.heads().stream().filter(h -> h.layer() == 0)
                .sorted(java.util.Comparator.comparingInt(HeadStats::head))
                .mapToDouble(HeadStats::meanAttentionDistancePx).toArray();
        double min = Double.POSITIVE_INFINITY, sum = 0;
        for (double d : layer0) {
            min = Math.min(min, d);
            sum += d;
        }
        double mean = layer0.length == 0 ? Double.NaN : sum / layer0.length;
        if (layer0.length == 0) min = Double.NaN;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : types) counts.put(t, 0);
        for (HeadStats h : c.heads()) counts.merge(h.type(), 1, Integer::sum);
        PositionEmbeddingStats p = c.positionEmbedding();
        return new TrajectoryRow(c.checkpoint(), c.epoch(), accuracy, p == null ? null : finite(p.rho()),
                p == null ? null : finite(p.rowR2()), p == null ? null : finite(p.colR2()), min, mean, min / uniform,
                mean / uniform, counts, finite(c.meanAttentionDistanceDepthRho()), layer0, LargestMass.of(c.heads()),
                typeByHead(c.heads()));
    }

    /** {@code L<layer>H<head>} -> type, in layer-then-head order. */
    private static Map<String, String> typeByHead(List<HeadStats> heads) {
        Map<String, String> out = new LinkedHashMap<>();
        heads.stream().sorted(java.util.Comparator.comparingInt(HeadStats::layer).thenComparingInt(HeadStats::head))
                .forEach(h -> out.put("L" + h.layer() + "H" + h.head(), h.type()));
        return out;
    }

    private static Double finite(double v) { return Double.isFinite(v) ? v : null; }
}
