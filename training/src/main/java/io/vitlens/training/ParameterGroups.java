package io.vitlens.training;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.ParameterTable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameter groups whose gradient norms are logged (claim C12), named as in the timm weights:
 * {@code patch_embed}, {@code pos_embed}, {@code cls_token}, per block {@code blocks.i.attn.q/k/v} (the
 * W_Q / W_K / W_V rows of the fused qkv weight and bias), {@code blocks.i.attn.proj}, {@code blocks.i.mlp},
 * {@code blocks.i.norm}, then {@code norm} and {@code head}, as {@link ParameterTable} names them. Fixed parts
 * (sincos2d table, identity value projection, K tied to Q) have no group: see {@link ParameterTable#frozenGroups}.
 */
public final class ParameterGroups {

    /** A slice of one DL4J parameter: rows [from, to) of {@code layer_key} (c-order), or all of it when to < 0. */
    public record Slice(String layer, String key, long from, long to) {
        String variable() { return layer + "_" + key; }

        /** Sum of squares of this slice of the current gradient. */
        double sumOfSquares(Map<String, INDArray> vars, Map<String, float[]> copies) {
            INDArray v = vars.get(variable());
            if (v == null) throw new IllegalStateException("no gradient for parameter " + variable());
            // ND4J sub-views of offset views are unreliable in M2.1; read a c-order copy instead
            float[] a = copies.computeIfAbsent(variable(), k -> v.dup('c').data().asFloat());
            long rowLength = v.rank() <= 1 ? 1 : v.length() / v.size(0);
            int begin = to < 0 ? 0 : (int) (from * rowLength);
            int end = to < 0 ? a.length : (int) (to * rowLength);
            double sq = 0;
            for (int i = begin; i < end; i++) sq += (double) a[i] * a[i];
            return sq;
        }
    }

    /** A named group of parameter slices. */
    public record Group(String name, List<Slice> slices) {
        /** L2 norm of the current gradient of this group (copies are shared between groups of one step). */
        public double gradientNorm(ComputationGraph graph, Map<String, float[]> copies) {
            Map<String, INDArray> vars = graph.gradient().gradientForVariable();
            double sq = 0;
            for (Slice s : slices) sq += s.sumOfSquares(vars, copies);
            return Math.sqrt(sq);
        }
    }

    private ParameterGroups() {}

    /** The trained groups of {@link ParameterTable}, in its order (fixed parts have none). */
    public static List<Group> of(ComputationGraph graph, ViTConfig c) {
        List<Group> groups = new ArrayList<>();
        for (ParameterTable.Group g : ParameterTable.of(c).groups()) {
            List<Slice> slices = new ArrayList<>();
            for (ParameterTable.Slice s : g.slices()) slices.add(new Slice(s.layer(), s.key(), s.from(), s.to()));
            groups.add(new Group(g.name(), List.copyOf(slices)));
        }
        return groups;
    }
}
