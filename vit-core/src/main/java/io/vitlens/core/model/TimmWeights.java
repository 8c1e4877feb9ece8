package io.vitlens.core.model;

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
 * Which tensor lives in which parameter is {@link ParameterTable}'s; this class does the conversions.
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

    /** Allowed difference between an imported fixed / summed position table and the one implied. */
    private static final double TABLE_TOLERANCE = 1e-5;

    private TimmWeights() {
    }

    /** Every tensor name of the model's timm state dict with its shape, in timm order. */
    public static Map<String, long[]> expectedShapes(ViTConfig cfg) {
        Map<String, long[]> s = new LinkedHashMap<>();
        for (ParameterTable.Tensor t : ParameterTable.of(cfg).tensors()) s.put(t.name(), t.shape());
        return s;
    }

    /** The model's parameters under timm names (detached copies in the graph's data type, timm order). */
    public static Map<String, INDArray> toTimm(ComputationGraph graph, ViTConfig cfg) {
        DataType type = graph.params().dataType();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterTable.Tensor t : ParameterTable.of(cfg).tensors()) {
            out.put(t.name(), switch (t.stored()) {
                case AS_IS -> copy(param(graph, t)).reshape('c', t.shape());
                case TRANSPOSED -> param(graph, t).transpose().dup('c');   // DL4J head [D, K] -> timm [K, D]
                case QKV_SECTIONS -> t.shape().length == 2 ? fullQkvWeight(param(graph, t), blockConf(graph, t))
                        : fullQkvBias(param(graph, t), blockConf(graph, t));
                case POSITION_TABLE -> Nd4j.createFromArray(patchEmbedding(graph).positionTable())
                        .reshape('c', t.shape()).castTo(type);
            });
        }
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

        // plain copies first: they cannot fail; then the checked parts, position table before the blocks
        List<ParameterTable.Tensor> tensors = ParameterTable.of(cfg).tensors();
        for (ParameterTable.Tensor t : tensors) {
            if (t.stored() == ParameterTable.Stored.AS_IS) set(param(graph, t), weights.get(t.name()));
            if (t.stored() == ParameterTable.Stored.TRANSPOSED) set(param(graph, t), weights.get(t.name()).transpose());
        }
        for (ParameterTable.Tensor t : tensors)
            if (t.stored() == ParameterTable.Stored.POSITION_TABLE) setPositions(weights.get(t.name()), graph, t, cfg);
        List<ParameterTable.Tensor> qkv = tensors.stream().filter(t -> t.stored() == ParameterTable.Stored.QKV_SECTIONS).toList();
        for (int i = 0; i < qkv.size(); i += 2) setQkv(graph, qkv.get(i), qkv.get(i + 1), weights, cfg.dim()); // weight, bias
    }

    /** Sets the parameter the table names from the imported table, after checking the variant can represent it. */
    private static void setPositions(INDArray table, ComputationGraph graph, ParameterTable.Tensor t, ViTConfig cfg) {
        long tokens = cfg.numTokens(), d = cfg.dim();
        PatchEmbedding patch = patchEmbedding(graph);
        switch (cfg.posEmbedding()) {
            case LEARNED -> set(param(graph, t), table);
            case LEARNED_2D -> {
                set(param(graph, t), table.dup('c').reshape(tokens, d).getRow(0).dup());   // the CLS vector
                requireTable(table, patch.positionTable(), tokens, d,
                        "is not posRow[r] + posCol[c] of '" + ParameterTable.POS_ROW + "' / '"
                        + ParameterTable.POS_COL + "'");
            }
            case SINCOS_2D -> requireTable(table, patch.positionTable(), tokens, d,
                    "differs from the fixed sincos2d table (" + SinCos2d.class.getSimpleName() + ")");
            case NONE -> { }   // no table tensor
        }
    }

    private static INDArray param(ComputationGraph graph, ParameterTable.Tensor t) {
        return graph.getLayer(t.source().layer()).getParam(t.source().key());
    }

    private static TransformerBlockLayer blockConf(ComputationGraph graph, ParameterTable.Tensor t) {
        return (TransformerBlockLayer) graph.getLayer(t.source().layer()).conf().getLayer();
    }

    private static PatchEmbedding patchEmbedding(ComputationGraph graph) {
        return (PatchEmbedding) graph.getLayer(ViTGraph.PATCH_EMBED);
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

    private static void setQkv(ComputationGraph graph, ParameterTable.Tensor weightTensor, ParameterTable.Tensor biasTensor,
                               Map<String, INDArray> weights, long d) {
        Layer block = graph.getLayer(weightTensor.source().layer());
        TransformerBlockLayer bc = blockConf(graph, weightTensor);
        String fused = weightTensor.name().substring(0, weightTensor.name().lastIndexOf('.'));   // blocks.i.attn.qkv
        INDArray w = weights.get(weightTensor.name()).dup('c'), b = weights.get(biasTensor.name()).dup('c');
        INDArray q = section(w, 0, d), k = section(w, 1, d), v = section(w, 2, d);
        INDArray qb = section(b, 0, d), kb = section(b, 1, d), vb = section(b, 2, d);
        if (bc.tieQk() && (!identical(q, k) || !identical(qb, kb)))
            throw new IllegalArgumentException("tensor '" + fused + "' has different Q and K rows, but the model ties "
                    + "W_Q = W_K (tieQk): it cannot represent these weights");
        if (bc.valueIdentity() && (!identical(v, Nd4j.eye(d).castTo(v.dataType())) || vb.amaxNumber().doubleValue() != 0))
            throw new IllegalArgumentException("tensor '" + fused + "' has V rows other than the identity with zero "
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
        set(block.getParam(weightTensor.source().key()), Nd4j.concat(0, rows.toArray(new INDArray[0])));
        set(block.getParam(biasTensor.source().key()), Nd4j.concat(0, biases.toArray(new INDArray[0])));
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
