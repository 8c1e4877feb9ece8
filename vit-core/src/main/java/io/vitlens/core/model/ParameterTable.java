package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that knows how a ViT variant's parameters are named: timm's state-dict tensors
 * (docs/model-spec.md) with the DL4J layer parameter that holds each, and the gradient-norm groups of
 * claim C12 with the DL4J rows they cover. {@link TimmWeights}, the trainer's gradient groups and the
 * analysis's "frozen by design" rule all read it, so a variant changes names in one place.
 *
 * <p>DL4J side: layer (graph vertex) names of {@link ViTGraph}, parameter keys of
 * {@link io.vitlens.core.model.layers.PatchEmbeddingLayer} and
 * {@link io.vitlens.core.model.layers.TransformerBlockLayer}, and the head's {@code W}, {@code b}.
 */
public final class ParameterTable {

    /** Extra tensors of the learned-2d variant (no timm counterpart): its row and column factors. */
    public static final String POS_ROW = "pos_embed_row", POS_COL = "pos_embed_col";

    /** How a timm tensor is held by the DL4J model. */
    public enum Stored {
        /** the same values in c-order, reshaped */
        AS_IS,
        /** the transpose (DL4J's head W is [D, K]) */
        TRANSPOSED,
        /** the fused projection's sections: K may reuse Q's, V may be the identity (no section) */
        QKV_SECTIONS,
        /** the position table the variant implies; {@code source} is the parameter set from it, if any */
        POSITION_TABLE
    }

    /** Rows [from, to) of the DL4J parameter {@code layer_key} (c-order), or all of it when {@code to < 0}. */
    public record Slice(String layer, String key, long from, long to) {
        static Slice all(String layer, String key) { return new Slice(layer, key, 0, -1); }

        /** DL4J's variable name of the parameter, e.g. {@code block0_qkvW}. */
        public String variable() { return layer + "_" + key; }
    }

    /** One tensor of the timm state dict; {@code source} is null when no parameter holds it (sincos2d table). */
    public record Tensor(String name, long[] shape, Slice source, Stored stored) {
        public Tensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() { return shape.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                    && java.util.Objects.equals(t.source, source) && t.stored == stored;
        }

        @Override
        public int hashCode() { return name.hashCode(); }

        @Override
        public String toString() { return name + Arrays.toString(shape) + " <- " + source + " (" + stored + ")"; }
    }

    /** A gradient-norm group: a timm-style name and the parameter rows it covers, in summation order. */
    public record Group(String name, List<Slice> slices) {
        public Group {
            slices = List.copyOf(slices);
        }
    }

    private final List<Tensor> tensors;
    private final List<Group> groups;

    private ParameterTable(List<Tensor> tensors, List<Group> groups) {
        this.tensors = List.copyOf(tensors);
        this.groups = List.copyOf(groups);
    }

    public static ParameterTable of(ViTConfig cfg) {
        return new ParameterTable(timmTensors(cfg), gradientGroups(cfg));
    }

    /** The timm state dict in timm order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The trained gradient-norm groups in the order metrics.jsonl lists them. */
    public List<Group> groups() {
        return groups;
    }

    /**
     * Groups the full model has but this variant does not train, with the reason. Needs only the variant and
     * the depth, so a summary of a model without its sizes can ask too.
     */
    public static Map<String, String> frozenGroups(PosEmbedding pos, ValueProjection value, boolean tieQk, int depth) {
        Map<String, String> f = new LinkedHashMap<>();
        if (pos == PosEmbedding.SINCOS_2D) f.put("pos_embed", "fixed 2D sin-cos table (not trained)");
        if (pos == PosEmbedding.NONE) f.put("pos_embed", "no position embedding");
        for (int i = 0; i < depth; i++) {
            if (tieQk) f.put(groupPrefix(i) + "attn.k", "tied to " + groupPrefix(i) + "attn.q (tie-qk)");
            if (value == ValueProjection.IDENTITY) f.put(groupPrefix(i) + "attn.v", "identity value projection");
        }
        return f;
    }

    private static List<Tensor> timmTensors(ViTConfig cfg) {
        long d = cfg.dim(), t = cfg.numTokens(), g = cfg.gridSize(), m = cfg.mlpDim(), p = cfg.patchSize();
        String pe = ViTGraph.PATCH_EMBED;
        List<Tensor> s = new ArrayList<>();
        s.add(asIs("cls_token", pe, "cls", 1, 1, d));
        switch (cfg.posEmbedding()) {
            case LEARNED -> s.add(new Tensor("pos_embed", new long[]{1, t, d}, Slice.all(pe, "pos"), Stored.POSITION_TABLE));
            case LEARNED_2D -> {
                // the summed table, so a plain timm model computes the same function; its CLS row is posCls
                s.add(new Tensor("pos_embed", new long[]{1, t, d}, Slice.all(pe, "posCls"), Stored.POSITION_TABLE));
                s.add(asIs(POS_ROW, pe, "posRow", g, d));
                s.add(asIs(POS_COL, pe, "posCol", g, d));
            }
            // timm keeps a frozen copy of the fixed table
            case SINCOS_2D -> s.add(new Tensor("pos_embed", new long[]{1, t, d}, null, Stored.POSITION_TABLE));
            case NONE -> { }
        }
        s.add(asIs("patch_embed.proj.weight", pe, "W", d, cfg.channels(), p, p));
        s.add(asIs("patch_embed.proj.bias", pe, "b", d));
        for (int i = 0; i < cfg.depth(); i++) {
            String b = ViTGraph.blockName(i), n = groupPrefix(i);
            s.add(asIs(n + "norm1.weight", b, "ln1g", d));
            s.add(asIs(n + "norm1.bias", b, "ln1b", d));
            s.add(new Tensor(n + "attn.qkv.weight", new long[]{3 * d, d}, Slice.all(b, "qkvW"), Stored.QKV_SECTIONS));
            s.add(new Tensor(n + "attn.qkv.bias", new long[]{3 * d}, Slice.all(b, "qkvb"), Stored.QKV_SECTIONS));
            s.add(asIs(n + "attn.proj.weight", b, "projW", d, d));
            s.add(asIs(n + "attn.proj.bias", b, "projb", d));
            s.add(asIs(n + "norm2.weight", b, "ln2g", d));
            s.add(asIs(n + "norm2.bias", b, "ln2b", d));
            s.add(asIs(n + "mlp.fc1.weight", b, "fc1W", m, d));
            s.add(asIs(n + "mlp.fc1.bias", b, "fc1b", m));
            s.add(asIs(n + "mlp.fc2.weight", b, "fc2W", d, m));
            s.add(asIs(n + "mlp.fc2.bias", b, "fc2b", d));
        }
        s.add(asIs("norm.weight", ViTGraph.NORM, "g", d));
        s.add(asIs("norm.bias", ViTGraph.NORM, "b", d));
        s.add(new Tensor("head.weight", new long[]{cfg.numClasses(), d}, Slice.all(ViTGraph.OUTPUT, "W"), Stored.TRANSPOSED));
        s.add(asIs("head.bias", ViTGraph.OUTPUT, "b", cfg.numClasses()));
        return s;
    }

    /** Fixed parts (see {@link #frozenGroups}) have no group; Q, K, V are row sections of the fused projection. */
    private static List<Group> gradientGroups(ViTConfig cfg) {
        String pe = ViTGraph.PATCH_EMBED;
        long d = cfg.dim();
        List<Group> groups = new ArrayList<>();
        groups.add(group("patch_embed", Slice.all(pe, "W"), Slice.all(pe, "b")));
        if (cfg.posEmbedding() == PosEmbedding.LEARNED) groups.add(group("pos_embed", Slice.all(pe, "pos")));
        if (cfg.posEmbedding() == PosEmbedding.LEARNED_2D)
            groups.add(group("pos_embed", Slice.all(pe, "posRow"), Slice.all(pe, "posCol"), Slice.all(pe, "posCls")));
        groups.add(group("cls_token", Slice.all(pe, "cls")));
        for (int i = 0; i < cfg.depth(); i++) {
            String b = ViTGraph.blockName(i), n = groupPrefix(i);
            groups.add(qkvSection(n + "attn.q", b, 0, d));
            if (!cfg.tieQk()) groups.add(qkvSection(n + "attn.k", b, d, d));
            if (cfg.valueProjection() == ValueProjection.LEARNED) groups.add(qkvSection(n + "attn.v", b, cfg.tieQk() ? d : 2 * d, d));
            groups.add(group(n + "attn.proj", Slice.all(b, "projW"), Slice.all(b, "projb")));
            groups.add(group(n + "mlp", Slice.all(b, "fc1W"), Slice.all(b, "fc1b"), Slice.all(b, "fc2W"), Slice.all(b, "fc2b")));
            groups.add(group(n + "norm", Slice.all(b, "ln1g"), Slice.all(b, "ln1b"), Slice.all(b, "ln2g"), Slice.all(b, "ln2b")));
        }
        groups.add(group("norm", Slice.all(ViTGraph.NORM, "g"), Slice.all(ViTGraph.NORM, "b")));
        groups.add(group("head", Slice.all(ViTGraph.OUTPUT, "W"), Slice.all(ViTGraph.OUTPUT, "b")));
        return groups;
    }

    private static String groupPrefix(int block) {
        return "blocks." + block + ".";
    }

    private static Tensor asIs(String name, String layer, String key, long... shape) {
        return new Tensor(name, shape, Slice.all(layer, key), Stored.AS_IS);
    }

    private static Group group(String name, Slice... slices) {
        return new Group(name, List.of(slices));
    }

    /** Rows [first, first + d) of the block's fused weight and bias. */
    private static Group qkvSection(String name, String block, long first, long d) {
        return group(name, new Slice(block, "qkvW", first, first + d), new Slice(block, "qkvb", first, first + d));
    }
}
