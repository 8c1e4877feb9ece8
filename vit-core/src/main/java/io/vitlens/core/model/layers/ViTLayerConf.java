package io.vitlens.core.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * What the three hand-written layer configurations share: parameters described by
 * {@link ParamSpec}s, no preprocessors, no pretraining, and instantiation of the implementation.
 *
 * <p>Subclasses keep their settings in fields annotated {@code @JsonProperty} and have a public no-arg
 * constructor: DL4J's JSON (and so {@code ModelSerializer}) rebuilds configurations through Jackson.
 * Their accessors avoid the {@code get} prefix so Jackson does not mistake derived values for settings.
 */
public abstract class ViTLayerConf extends BaseLayer implements ParamSpecLayer {

    /** LayerNorm epsilon of the spec (timm's {@code partial(nn.LayerNorm, eps=1e-6)}). */
    public static final double LN_EPS = 1e-6;

    protected ViTLayerConf() {
    }

    protected ViTLayerConf(String name) {
        if (name == null || name.indexOf('_') >= 0)
            throw new IllegalArgumentException("layer name '" + name + "' must be non-null and contain no '_'");
        this.layerName = name;
    }

    /** Creates the implementation (parameters are attached by {@link #instantiate}). */
    protected abstract org.deeplearning4j.nn.layers.BaseLayer<?> createLayer(NeuralNetConfiguration conf,
                                                                            DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        org.deeplearning4j.nn.layers.BaseLayer<?> layer = createLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return SpecParamInitializer.INSTANCE;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // sizes come from the ViT configuration, never from the input type (checked in getOutputType)
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(params);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, updaterState)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Throws naming this layer unless {@code actual == expected}. */
    protected void expectSize(String what, long actual, long expected) {
        if (actual != expected && actual >= 0)
            throw new IllegalArgumentException("layer " + layerName + ": input " + what + " is " + actual
                    + ", expected " + expected);
    }
}
