package io.vitlens.core.model.layers;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the patch embedding (docs/model-spec.md steps 1-3): images [B, C, S, S] to tokens
 * [B, T, D] = [CLS; patches] + position embedding, token t = 1 + r*g + c for grid row r and column c.
 *
 * <p>Parameters: {@code W} [D, C*P*P] (timm's conv weight [D, C, P, P] flattened in (C, P, P) order),
 * {@code b} [D], {@code cls} [D], and by position variant: learned: {@code pos} [T, D]; learned-2d:
 * {@code posRow} [g, D], {@code posCol} [g, D], {@code posCls} [D] (patch t gets posRow[r] + posCol[c],
 * the CLS gets posCls); sincos2d: none (the fixed {@link SinCos2d} table); none: none.
 */
public class PatchEmbeddingLayer extends ViTLayerConf {

    @JsonProperty private int imageSize;
    @JsonProperty private int channels;
    @JsonProperty private int patchSize;
    @JsonProperty private int dim;
    @JsonProperty private PosEmbedding posEmbedding;

    /** For Jackson. */
    public PatchEmbeddingLayer() {
    }

    public PatchEmbeddingLayer(String name, ViTConfig cfg) {
        super(name);
        this.imageSize = cfg.imageSize();
        this.channels = cfg.channels();
        this.patchSize = cfg.patchSize();
        this.dim = cfg.dim();
        this.posEmbedding = cfg.posEmbedding();
        if (posEmbedding == PosEmbedding.SINCOS_2D) SinCos2d.requireDivisible(dim);
    }

    public int imageSize() { return imageSize; }
    public int channels() { return channels; }
    public int patchSize() { return patchSize; }
    public int dim() { return dim; }
    public PosEmbedding posEmbedding() { return posEmbedding; }
    /** g */
    public int grid() { return imageSize / patchSize; }
    /** N = g*g */
    public int patches() { return grid() * grid(); }
    /** T = N + 1 */
    public int tokens() { return patches() + 1; }
    /** C*P*P */
    public int patchLength() { return channels * patchSize * patchSize; }

    @Override
    public List<ParamSpec> paramSpecs() {
        List<ParamSpec> s = new ArrayList<>();
        s.add(ParamSpec.of("W", ParamSpec.Role.WEIGHT, dim, patchLength()));
        s.add(ParamSpec.of("b", ParamSpec.Role.BIAS, dim));
        s.add(ParamSpec.of("cls", ParamSpec.Role.EMBEDDING, dim));
        switch (posEmbedding) {
            case LEARNED -> s.add(ParamSpec.of("pos", ParamSpec.Role.EMBEDDING, tokens(), dim));
            case LEARNED_2D -> {
                s.add(ParamSpec.of("posRow", ParamSpec.Role.EMBEDDING, grid(), dim));
                s.add(ParamSpec.of("posCol", ParamSpec.Role.EMBEDDING, grid(), dim));
                s.add(ParamSpec.of("posCls", ParamSpec.Role.EMBEDDING, dim));
            }
            case SINCOS_2D, NONE -> { }
        }
        return s;
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new PatchEmbedding(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c))
            throw new IllegalArgumentException("layer " + layerName + ": expected convolutional input [B, "
                    + channels + ", " + imageSize + ", " + imageSize + "], got " + inputType);
        expectSize("channels", c.getChannels(), channels);
        expectSize("height", c.getHeight(), imageSize);
        expectSize("width", c.getWidth(), imageSize);
        return InputType.recurrent(dim, tokens(), RNNFormat.NWC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchEmbeddingLayer p && super.equals(o) && p.imageSize == imageSize
                && p.channels == channels && p.patchSize == patchSize && p.dim == dim && p.posEmbedding == posEmbedding;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), imageSize, channels, patchSize, dim, posEmbedding);
    }
}
