package io.vitlens.core.model.layers;

import io.vitlens.core.Pooling;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * Configuration of the final LayerNorm and pooling (docs/model-spec.md step 5): tokens [B, T, D] to
 * features [B, D], either LN(x[:, 0]) (CLS) or the mean over tokens 1..N of LN(x) ({@code mean}).
 * Parameters: {@code g}, {@code b} [D], the LayerNorm scale and shift (timm's {@code norm}).
 */
public class FinalNormPoolLayer extends ViTLayerConf {

    @JsonProperty private int dim;
    @JsonProperty private int tokens;
    @JsonProperty private Pooling pooling;

    /** For Jackson. */
    public FinalNormPoolLayer() {
    }

    public FinalNormPoolLayer(String name, ViTConfig cfg) {
        super(name);
        this.dim = cfg.dim();
        this.tokens = cfg.numTokens();
        this.pooling = cfg.pooling();
    }

    public int dim() { return dim; }
    public int tokens() { return tokens; }
    public Pooling pooling() { return pooling; }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(ParamSpec.of("g", ParamSpec.Role.NORM_GAIN, dim), ParamSpec.of("b", ParamSpec.Role.NORM_BIAS, dim));
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new FinalNormPool(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r) || r.getFormat() != RNNFormat.NWC)
            throw new IllegalArgumentException("layer " + layerName + ": expected tokens as NWC [B, " + tokens + ", "
                    + dim + "], got " + inputType);
        expectSize("width", r.getSize(), dim);
        expectSize("tokens", r.getTimeSeriesLength(), tokens);
        return InputType.feedForward(dim);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FinalNormPoolLayer p && super.equals(o) && p.dim == dim && p.tokens == tokens
                && p.pooling == pooling;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dim, tokens, pooling);
    }
}
