package io.vitlens.training;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameter groups whose gradient norms are logged (claim C12), named as in the timm weights:
 * {@code patch_embed}, {@code pos_embed}, {@code cls_token}, per block {@code blocks.i.attn.q/k/v} (the
 * W_Q / W_K / W_V rows of the fused qkv weight and bias), {@code blocks.i.attn.proj}, {@code blocks.i.mlp},
 * {@code blocks.i.norm}, then {@code norm} and {@code head}. Fixed parts (sincos2d table, identity value
 * projection, K tied to Q) have no group: they are reported as frozen by {@link #frozen(ViTConfig)}.
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

    public static List<Group> of(ComputationGraph graph, ViTConfig c) {
        String pe = ViTGraph.PATCH_EMBED;
        int d = c.dim();
        List<Group> groups = new ArrayList<>();
        groups.add(new Group("patch_embed", List.of(all(pe, "W"), all(pe, "b"))));
        if (c.posEmbedding() == PosEmbedding.LEARNED) groups.add(new Group("pos_embed", List.of(all(pe, "pos"))));
        if (c.posEmbedding() == PosEmbedding.LEARNED_2D)
            groups.add(new Group("pos_embed", List.of(all(pe, "posRow"), all(pe, "posCol"), all(pe, "posCls"))));
        groups.add(new Group("cls_token", List.of(all(pe, "cls"))));
        for (int i = 0; i < c.depth(); i++) {
            String b = ViTGraph.blockName(i);
            String p = "blocks." + i + ".";
            groups.add(new Group(p + "attn.q", List.of(rows(b, "qkvW", 0, d), rows(b, "qkvb", 0, d))));
            if (!c.tieQk()) groups.add(new Group(p + "attn.k", List.of(rows(b, "qkvW", d, 2L * d), rows(b, "qkvb", d, 2L * d))));
            if (c.valueProjection() == ValueProjection.LEARNED) {
                long v0 = c.tieQk() ? d : 2L * d;
                groups.add(new Group(p + "attn.v", List.of(rows(b, "qkvW", v0, v0 + d), rows(b, "qkvb", v0, v0 + d))));
            }
            groups.add(new Group(p + "attn.proj", List.of(all(b, "projW"), all(b, "projb"))));
            groups.add(new Group(p + "mlp", List.of(all(b, "fc1W"), all(b, "fc1b"), all(b, "fc2W"), all(b, "fc2b"))));
            groups.add(new Group(p + "norm", List.of(all(b, "ln1g"), all(b, "ln1b"), all(b, "ln2g"), all(b, "ln2b"))));
        }
        groups.add(new Group("norm", List.of(all(ViTGraph.NORM, "g"), all(ViTGraph.NORM, "b"))));
        groups.add(new Group("head", List.of(all(ViTGraph.OUTPUT, "W"), all(ViTGraph.OUTPUT, "b"))));
        return groups;
    }

    /** Groups that do not train in this architecture, with the reason. */
    public static Map<String, String> frozen(ViTConfig c) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        if (c.posEmbedding() == PosEmbedding.SINCOS_2D) f.put("pos_embed", "fixed 2D sin-cos table (not trained)");
        if (c.posEmbedding() == PosEmbedding.NONE) f.put("pos_embed", "no position embedding");
        for (int i = 0; i < c.depth(); i++) {
            if (c.tieQk()) f.put("blocks." + i + ".attn.k", "tied to blocks." + i + ".attn.q (tie-qk)");
            if (c.valueProjection() == ValueProjection.IDENTITY) f.put("blocks." + i + ".attn.v", "identity value projection");
        }
        return f;
    }

    private static Slice all(String layer, String key) { return new Slice(layer, key, 0, -1); }

    private static Slice rows(String layer, String key, long from, long to) { return new Slice(layer, key, from, to); }
}
