package io.vitlens.core.model.layers;

import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * Configuration of one pre-norm encoder block (docs/model-spec.md step 4) on tokens [B, T, D]:
 * h = x + DropPath(Drop(Proj(MHSA(LN1(x))))), out = h + DropPath(Drop(FC2(Drop(GELU(FC1(LN2(h))))))).
 * Dropout sits where timm's {@code Block} has {@code proj_drop}, {@code mlp.drop1} and {@code mlp.drop2};
 * there is no attention-probability dropout. Both are active in training mode only.
 *
 * <p>Parameters, in order: {@code ln1g, ln1b} [D]; {@code qkvW} [S*D, D], {@code qkvb} [S*D];
 * {@code projW} [D, D], {@code projb} [D]; {@code ln2g, ln2b} [D]; {@code fc1W} [M, D], {@code fc1b} [M];
 * {@code fc2W} [D, M], {@code fc2b} [D]. The fused projection holds S = 1..3 sections of D rows in timm
 * order Q, K, V, head h owning rows h*d..h*d+d-1 of each; the ablations drop sections: with
 * {@code tieQk} K reuses Q's section (weight and bias), with {@code valueIdentity} V = LN1(x) has none.
 */
public class TransformerBlockLayer extends ViTLayerConf {

    @JsonProperty private int dim;
    @JsonProperty private int heads;
    @JsonProperty private int mlpDim;
    @JsonProperty private int tokens;
    @JsonProperty private double dropout;
    @JsonProperty private double dropPath;
    @JsonProperty private boolean valueIdentity;
    @JsonProperty private boolean tieQk;

    /** For Jackson. */
    public TransformerBlockLayer() {
    }

    /**
     * Block {@code index} of {@code cfg}: its drop-path rate rises linearly from 0 at the first block to
     * {@code cfg.dropPath()} at the last (timm's {@code linspace(0, drop_path_rate, depth)}).
     */
    public TransformerBlockLayer(String name, ViTConfig cfg, int index) {
        super(name);
        if (index < 0 || index >= cfg.depth())
            throw new IllegalArgumentException("block index " + index + " outside 0.." + (cfg.depth() - 1));
        this.dim = cfg.dim();
        this.heads = cfg.heads();
        this.mlpDim = cfg.mlpDim();
        this.tokens = cfg.numTokens();
        this.dropout = cfg.dropout();
        this.dropPath = cfg.depth() == 1 ? 0.0 : cfg.dropPath() * index / (cfg.depth() - 1);
        this.valueIdentity = cfg.valueProjection() == ValueProjection.IDENTITY;
        this.tieQk = cfg.tieQk();
    }

    public int dim() { return dim; }
    public int heads() { return heads; }
    public int headDim() { return dim / heads; }
    public int mlpDim() { return mlpDim; }
    public int tokens() { return tokens; }
    public double dropout() { return dropout; }
    public double dropPath() { return dropPath; }
    public boolean valueIdentity() { return valueIdentity; }
    public boolean tieQk() { return tieQk; }

    /** Number of D-row sections in the fused projection: Q, then K unless tied, then V unless identity. */
    public int sections() {
        return 1 + (tieQk ? 0 : 1) + (valueIdentity ? 0 : 1);
    }

    /** First row of K's section in {@code qkvW} (0 when tied to Q). */
    public int keySection() {
        return tieQk ? 0 : 1;
    }

    /** Section of V in {@code qkvW}, or -1 when V = LN1(x). */
    public int valueSection() {
        return valueIdentity ? -1 : sections() - 1;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        long sd = (long) sections() * dim;
        return List.of(
                ParamSpec.of("ln1g", ParamSpec.Role.NORM_GAIN, dim),
                ParamSpec.of("ln1b", ParamSpec.Role.NORM_BIAS, dim),
                ParamSpec.of("qkvW", ParamSpec.Role.WEIGHT, sd, dim),
                ParamSpec.of("qkvb", ParamSpec.Role.BIAS, sd),
                ParamSpec.of("projW", ParamSpec.Role.WEIGHT, dim, dim),
                ParamSpec.of("projb", ParamSpec.Role.BIAS, dim),
                ParamSpec.of("ln2g", ParamSpec.Role.NORM_GAIN, dim),
                ParamSpec.of("ln2b", ParamSpec.Role.NORM_BIAS, dim),
                ParamSpec.of("fc1W", ParamSpec.Role.WEIGHT, mlpDim, dim),
                ParamSpec.of("fc1b", ParamSpec.Role.BIAS, mlpDim),
                ParamSpec.of("fc2W", ParamSpec.Role.WEIGHT, dim, mlpDim),
                ParamSpec.of("fc2b", ParamSpec.Role.BIAS, dim));
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new TransformerBlock(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r))
            throw new IllegalArgumentException("layer " + layerName + ": expected token input [B, " + tokens + ", "
                    + dim + "], got " + inputType);
        if (r.getFormat() != RNNFormat.NWC)
            throw new IllegalArgumentException("layer " + layerName + ": expected tokens as NWC [B, T, D], got " + inputType);
        expectSize("width", r.getSize(), dim);
        expectSize("tokens", r.getTimeSeriesLength(), tokens);
        return inputType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerBlockLayer p && super.equals(o) && p.dim == dim && p.heads == heads
                && p.mlpDim == mlpDim && p.tokens == tokens && p.dropout == dropout && p.dropPath == dropPath
                && p.valueIdentity == valueIdentity && p.tieQk == tieQk;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dim, heads, mlpDim, tokens, dropout, dropPath, valueIdentity, tieQk);
    }
}
