package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.layers.PatchEmbedding;
import io.vitlens.core.model.layers.SinCos2d;
import io.vitlens.core.model.layers.TransformerBlockLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts between a {@link ViTGraph}'s parameters and timm's {@code VisionTransformer} state dict
 * (names and shapes of docs/model-spec.md), so weights move to and from PyTorch with the same outputs.
 *
 * <p>Variant rules. {@code learned}: {@code pos_embed} [1, T, D] is the table. {@code sincos2d}:
 * {@code pos_embed} carries the fixed table (as timm keeps a frozen one); import checks it matches.
 * {@code none}: no {@code pos_embed}. {@code learned-2d} has no timm counterpart: export writes the
 * summed table as {@code pos_embed} (so a plain timm model computes the same function) plus the
 * factors {@code pos_embed_row} [g, D] and {@code pos_embed_col} [g, D]; import restores the factors
 * from those and the CLS vector from {@code pos_embed[0, 0]}, and checks the table is their sum.
 * Ablations export as the full model they equal: tied Q/K repeats the shared rows for K; identity V
 * writes the identity matrix and a zero bias. Import into an ablated model checks exactly that shape.
 */
public final class TimmWeights {

    /** Extra tensors of the learned-2d variant. */
    public static final String POS_ROW = "pos_embed_row", POS_COL = "pos_embed_col";
    /** Allowed difference between an imported fixed / summed position table and the one implied. */
    private static final double TABLE_TOLERANCE = 1e-5;

    private TimmWeights() {
    }

    /** Every tensor name of the model's timm state dict with its shape, in timm order. */
    public static Map<String, long[]> expectedShapes(ViTConfig cfg) {
        long d = cfg.dim(), t = cfg.numTokens(), g = cfg.gridSize(), m = cfg.mlpDim();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("cls_token", new long[]{1, 1, d});
        if (cfg.posEmbedding() != PosEmbedding.NONE) s.put("pos_embed", new long[]{1, t, d});
        if (cfg.posEmbedding() == PosEmbedding.LEARNED_2D) {
            s.put(POS_ROW, new long[]{g, d});
            s.put(POS_COL, new long[]{g, d});
        }
        s.put("patch_embed.proj.weight", new long[]{d, cfg.channels(), cfg.patchSize(), cfg.patchSize()});
        s.put("patch_embed.proj.bias", new long[]{d});
        for (int i = 0; i < cfg.depth(); i++) {
            String p = "blocks." + i + ".";
            s.put(p + "norm1.weight", new long[]{d});
            s.put(p + "norm1.bias", new long[]{d});
            s.put(p + "attn.qkv.weight", new long[]{3 * d, d});
            s.put(p + "attn.qkv.bias", new long[]{3 * d});
            s.put(p + "attn.proj.weight", new long[]{d, d});
            s.put(p + "attn.proj.bias", new long[]{d});
            s.put(p + "norm2.weight", new long[]{d});
            s.put(p + "norm2.bias", new long[]{d});
            s.put(p + "mlp.fc1.weight", new long[]{m, d});
            s.put(p + "mlp.fc1.bias", new long[]{m});
            s.put(p + "mlp.fc2.weight", new long[]{d, m});
            s.put(p + "mlp.fc2.bias", new long[]{d});
        }
        s.put("norm.weight", new long[]{d});
        s.put("norm.bias", new long[]{d});
        s.put("head.weight", new long[]{cfg.numClasses(), d});
        s.put("head.bias", new long[]{cfg.numClasses()});
        return s;
    }

    /** The model's parameters under timm names (detached copies in the graph's data type, timm order). */
    public static Map<String, INDArray> toTimm(ComputationGraph graph, ViTConfig cfg) {
        long d = cfg.dim(), t = cfg.numTokens();
        DataType type = graph.params().dataType();
        Map<String, INDArray> out = new LinkedHashMap<>();
        Layer patch = graph.getLayer(ViTGraph.PATCH_EMBED);
        out.put("cls_token", copy(patch.getParam("cls")).reshape(1, 1, d));
        if (cfg.posEmbedding() != PosEmbedding.NONE) {
            double[] table = ((PatchEmbedding) patch).positionTable();
            out.put("pos_embed", Nd4j.createFromArray(table).reshape('c', 1, t, d).castTo(type));
        }
        if (cfg.posEmbedding() == PosEmbedding.LEARNED_2D) {
            out.put(POS_ROW, copy(patch.getParam("posRow")));
            out.put(POS_COL, copy(patch.getParam("posCol")));
        }
        out.put("patch_embed.proj.weight", copy(patch.getParam("W"))
                .reshape('c', d, cfg.channels(), cfg.patchSize(), cfg.patchSize()));
        out.put("patch_embed.proj.bias", copy(patch.getParam("b")));
        for (int i = 0; i < cfg.depth(); i++) {
            Layer block = graph.getLayer(ViTGraph.blockName(i));
            TransformerBlockLayer bc = (TransformerBlockLayer) block.conf().getLayer();
            String p = "blocks." + i + ".";
            out.put(p + "norm1.weight", copy(block.getParam("ln1g")));
            out.put(p + "norm1.bias", copy(block.getParam("ln1b")));
            out.put(p + "attn.qkv.weight", fullQkvWeight(block.getParam("qkvW"), bc));
            out.put(p + "attn.qkv.bias", fullQkvBias(block.getParam("qkvb"), bc));
            out.put(p + "attn.proj.weight", copy(block.getParam("projW")));
            out.put(p + "attn.proj.bias", copy(block.getParam("projb")));
            out.put(p + "norm2.weight", copy(block.getParam("ln2g")));
            out.put(p + "norm2.bias", copy(block.getParam("ln2b")));
            out.put(p + "mlp.fc1.weight", copy(block.getParam("fc1W")));
            out.put(p + "mlp.fc1.bias", copy(block.getParam("fc1b")));
            out.put(p + "mlp.fc2.weight", copy(block.getParam("fc2W")));
            out.put(p + "mlp.fc2.bias", copy(block.getParam("fc2b")));
        }
        Layer norm = graph.getLayer(ViTGraph.NORM);
        out.put("norm.weight", copy(norm.getParam("g")));
        out.put("norm.bias", copy(norm.getParam("b")));
        Layer head = graph.getLayer(ViTGraph.OUTPUT);
        out.put("head.weight", head.getParam("W").transpose().dup('c'));   // DL4J [D, K] -> timm [K, D]
        out.put("head.bias", copy(head.getParam("b")).reshape(cfg.numClasses()));
        return out;
    }

    /**
     * Sets the model's parameters from a timm state dict. Fails, naming the tensor, on a missing,
     * unexpected or wrongly shaped tensor, or on values the model's variant cannot represent.
     */
    public static void fromTimm(Map<String, INDArray> weights, ComputationGraph graph, ViTConfig cfg) {
        Map<String, long[]> expected = expectedShapes(cfg);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null)
                throw new IllegalArgumentException("missing tensor '" + e.getKey() + "' (expected shape "
                        + Arrays.toString(e.getValue()) + ") for a " + cfg.posEmbedding() + " model");
            if (!Arrays.equals(w.shape(), e.getValue()))
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape " + Arrays.toString(w.shape())
                        + ", expected " + Arrays.toString(e.getValue()));
        }
        for (String name : weights.keySet())
            if (!expected.containsKey(name))
                throw new IllegalArgumentException("unexpected tensor '" + name + "' for a model with position embedding "
                        + cfg.posEmbedding() + "; expected exactly " + expected.keySet());

        long d = cfg.dim();
        Layer patch = graph.getLayer(ViTGraph.PATCH_EMBED);
        set(patch.getParam("cls"), weights.get("cls_token"));
        setPositions(weights, (PatchEmbedding) patch, cfg);
        set(patch.getParam("W"), weights.get("patch_embed.proj.weight"));
        set(patch.getParam("b"), weights.get("patch_embed.proj.bias"));
        for (int i = 0; i < cfg.depth(); i++) {
            Layer block = graph.getLayer(ViTGraph.blockName(i));
            TransformerBlockLayer bc = (TransformerBlockLayer) block.conf().getLayer();
            String p = "blocks." + i + ".";
            set(block.getParam("ln1g"), weights.get(p + "norm1.weight"));
            set(block.getParam("ln1b"), weights.get(p + "norm1.bias"));
            setQkv(block, bc, weights.get(p + "attn.qkv.weight"), weights.get(p + "attn.qkv.bias"), p, d);
            set(block.getParam("projW"), weights.get(p + "attn.proj.weight"));
            set(block.getParam("projb"), weights.get(p + "attn.proj.bias"));
            set(block.getParam("ln2g"), weights.get(p + "norm2.weight"));
            set(block.getParam("ln2b"), weights.get(p + "norm2.bias"));
            set(block.getParam("fc1W"), weights.get(p + "mlp.fc1.weight"));
            set(block.getParam("fc1b"), weights.get(p + "mlp.fc1.bias"));
            set(block.getParam("fc2W"), weights.get(p + "mlp.fc2.weight"));
            set(block.getParam("fc2b"), weights.get(p + "mlp.fc2.bias"));
        }
        Layer norm = graph.getLayer(ViTGraph.NORM);
        set(norm.getParam("g"), weights.get("norm.weight"));
        set(norm.getParam("b"), weights.get("norm.bias"));
        Layer head = graph.getLayer(ViTGraph.OUTPUT);
        set(head.getParam("W"), weights.get("head.weight").transpose());
        set(head.getParam("b"), weights.get("head.bias"));
    }

    private static void setPositions(Map<String, INDArray> w, PatchEmbedding patch, ViTConfig cfg) {
        long t = cfg.numTokens(), d = cfg.dim();
        switch (cfg.posEmbedding()) {
            case LEARNED -> set(patch.getParam("pos"), w.get("pos_embed"));
            case LEARNED_2D -> {
                set(patch.getParam("posRow"), w.get(POS_ROW));
                set(patch.getParam("posCol"), w.get(POS_COL));
                set(patch.getParam("posCls"), w.get("pos_embed").dup('c').reshape(t, d).getRow(0).dup());
                requireTable(w.get("pos_embed"), patch.positionTable(), t, d,
                        "is not posRow[r] + posCol[c] of '" + POS_ROW + "' / '" + POS_COL + "'");
            }
            case SINCOS_2D -> requireTable(w.get("pos_embed"), patch.positionTable(), t, d,
                    "differs from the fixed sincos2d table (" + SinCos2d.class.getSimpleName() + ")");
            case NONE -> { }
        }
    }

    private static void requireTable(INDArray given, double[] implied, long t, long d, String problem) {
        double[] g = given.reshape(t * d).castTo(DataType.DOUBLE).toDoubleVector();
        for (int i = 0; i < g.length; i++)
            if (Math.abs(g[i] - implied[i]) > TABLE_TOLERANCE * Math.max(1.0, Math.abs(implied[i])))
                throw new IllegalArgumentException("tensor 'pos_embed' " + problem + ": token " + (i / d) + ", channel "
                        + (i % d) + " is " + g[i] + ", expected " + implied[i]);
    }

    /** The model's fused projection as timm's [3D, D] Q, K, V rows. */
    private static INDArray fullQkvWeight(INDArray param, TransformerBlockLayer bc) {
        INDArray w = param.dup('c'); // sub-views of parameter views are unreliable in ND4J 1.0.0-M2.1
        long d = bc.dim();
        INDArray v = bc.valueIdentity() ? Nd4j.eye(d).castTo(w.dataType()) : section(w, bc.valueSection(), d);
        return Nd4j.concat(0, section(w, 0, d), section(w, bc.keySection(), d), v);
    }

    private static INDArray fullQkvBias(INDArray param, TransformerBlockLayer bc) {
        INDArray b = param.dup('c');
        long d = bc.dim();
        INDArray v = bc.valueIdentity() ? Nd4j.zeros(b.dataType(), d) : section(b, bc.valueSection(), d);
        return Nd4j.concat(0, section(b, 0, d), section(b, bc.keySection(), d), v);
    }

    private static void setQkv(Layer block, TransformerBlockLayer bc, INDArray weight, INDArray bias, String p, long d) {
        INDArray w = weight.dup('c'), b = bias.dup('c');
        INDArray q = section(w, 0, d), k = section(w, 1, d), v = section(w, 2, d);
        INDArray qb = section(b, 0, d), kb = section(b, 1, d), vb = section(b, 2, d);
        if (bc.tieQk() && (!identical(q, k) || !identical(qb, kb)))
            throw new IllegalArgumentException("tensor '" + p + "attn.qkv' has different Q and K rows, but the model ties "
                    + "W_Q = W_K (tieQk): it cannot represent these weights");
        if (bc.valueIdentity() && (!identical(v, Nd4j.eye(d).castTo(v.dataType())) || vb.amaxNumber().doubleValue() != 0))
            throw new IllegalArgumentException("tensor '" + p + "attn.qkv' has V rows other than the identity with zero "
                    + "bias, but the model's value projection is the identity: it cannot represent these weights");
        List<INDArray> rows = new ArrayList<>(List.of(q));
        List<INDArray> biases = new ArrayList<>(List.of(qb));
        if (!bc.tieQk()) {
            rows.add(k);
            biases.add(kb);
        }
        if (!bc.valueIdentity()) {
            rows.add(v);
            biases.add(vb);
        }
        set(block.getParam("qkvW"), Nd4j.concat(0, rows.toArray(new INDArray[0])));
        set(block.getParam("qkvb"), Nd4j.concat(0, biases.toArray(new INDArray[0])));
    }

    /** Rows s*d .. s*d+d-1 of a dense (non-view) [S*d, ...] weight or [S*d] bias. */
    private static INDArray section(INDArray a, int s, long d) {
        return a.rank() == 1 ? a.get(NDArrayIndex.interval(s * d, (s + 1) * d)).dup()
                : a.get(NDArrayIndex.interval(s * d, (s + 1) * d), NDArrayIndex.all()).dup('c');
    }

    /** Exact equality of values (ND4J's {@code equals} allows a 1e-5 difference). */
    private static boolean identical(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape()) && a.sub(b).amaxNumber().doubleValue() == 0.0;
    }

    private static INDArray copy(INDArray a) {
        return a.dup('c');
    }

    private static void set(INDArray param, INDArray value) {
        param.assign(value.castTo(param.dataType()).reshape('c', param.shape()));
    }
}
