package io.vitlens.core.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * DL4J's {@link ParamInitializer} for every hand-written layer, driven by the layer's
 * {@link ParamSpecLayer#paramSpecs()}: parameters lie in the flattened array in spec order, each a dense
 * c-order view of its spec shape (so gradients written into the gradient views reach the updater).
 *
 * <p>Only {@link ParamSpec.Role#WEIGHT} parameters are "weights" to DL4J, so {@code WeightDecay} skips
 * biases, LayerNorm parameters, the CLS token and position tables. Fresh parameters get the timm scheme
 * from DL4J's seeded RNG; {@code ViTInitializer} then redraws them from the model seed alone.
 */
public final class SpecParamInitializer implements ParamInitializer {

    public static final SpecParamInitializer INSTANCE = new SpecParamInitializer();

    private SpecParamInitializer() {
    }

    private static List<ParamSpec> specs(Layer layer) {
        if (!(layer instanceof ParamSpecLayer p))
            throw new IllegalArgumentException("layer " + layer.getLayerName() + " (" + layer.getClass().getName()
                    + ") does not describe its parameters");
        return p.paramSpecs();
    }

    private static ParamSpec.Role role(Layer layer, String key) {
        for (ParamSpec s : specs(layer)) if (s.key().equals(key)) return s.role();
        return null;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (ParamSpec s : specs(layer)) n += s.length();
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (ParamSpec s : specs(layer)) keys.add(s.key());
        return Collections.unmodifiableList(keys);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return keysWithRole(layer, ParamSpec.Role.WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return keysWithRole(layer, ParamSpec.Role.BIAS);
    }

    private static List<String> keysWithRole(Layer layer, ParamSpec.Role role) {
        List<String> keys = new ArrayList<>();
        for (ParamSpec s : specs(layer)) if (s.role() == role) keys.add(s.key());
        return Collections.unmodifiableList(keys);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return role(layer, key) == ParamSpec.Role.WEIGHT;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return role(layer, key) == ParamSpec.Role.BIAS;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(conf.getLayer(), paramsView);
        SplittableRandom rng = initializeParams ? new SplittableRandom(Nd4j.getRandom().nextLong()) : null;
        for (ParamSpec s : specs(conf.getLayer())) {
            conf.addVariable(s.key());
            if (initializeParams) ParamFill.fill(s.role(), views.get(s.key()), rng);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    /** Dense c-order views of {@code flat}, one per spec, in spec order. */
    static Map<String, INDArray> views(Layer layer, INDArray flat) {
        long total = 0;
        for (ParamSpec s : specs(layer)) total += s.length();
        if (flat.length() != total)
            throw new IllegalStateException("layer " + layer.getLayerName() + ": expected a parameter view of length "
                    + total + ", got " + flat.length());
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        long off = 0;
        for (ParamSpec s : specs(layer)) {
            INDArray v = row.get(NDArrayIndex.interval(off, off + s.length())).reshape('c', s.shape());
            out.put(s.key(), v);
            off += s.length();
        }
        return out;
    }
}
