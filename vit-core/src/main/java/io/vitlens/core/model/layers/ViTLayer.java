package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.ArrayCache;
import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.kernels.Kernels;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * What the three hand-written layer implementations share: typed access to parameters and gradient
 * views, the kernels for the network's data type, a cache for arrays kept from forward to backward,
 * and the check that a backward pass follows a training-mode forward pass on the same batch.
 *
 * @param <C> the layer's configuration
 */
public abstract class ViTLayer<C extends ViTLayerConf> extends BaseLayer<C> {

    /** Arrays kept between forward and backward (outside workspaces, reused across iterations). */
    protected final transient ArrayCache cache = new ArrayCache();
    /** Batch size of the last training-mode forward pass, or -1 if the last forward was inference. */
    private transient long trainedBatch = -1;
    /** The engine of this layer's passes, chosen once by {@link Engine#fromSystemProperty()}. */
    private final transient Engine engine = Engine.fromSystemProperty();

    protected ViTLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The engine that runs this layer's forward and backward passes. */
    public Engine engine() {
        return engine;
    }

    /** True when this layer runs on the {@link Engine#PORTABLE} engine. */
    protected boolean portable() {
        return engine == Engine.PORTABLE;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** The layer's parameter {@code key}, a view into the network's flattened parameters. */
    protected INDArray param(String key) {
        INDArray p = params.get(key);
        if (p == null) throw new IllegalStateException(layerId() + ": no parameter '" + key + "'");
        return p;
    }

    /** The gradient view of parameter {@code key}; gradients must be written into it. */
    protected INDArray gradView(String key) {
        if (gradientViews == null)
            throw new IllegalStateException(layerId() + ": gradient views not set; call ComputationGraph.initGradientsView()");
        return gradientViews.get(key);
    }

    protected Kernels kernels() {
        return Kernels.forType(dataType);
    }

    /** A gradient object listing every parameter's gradient view (already filled by the caller). */
    protected Gradient allGradients() {
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (ParamSpec s : layerConf().paramSpecs()) g.setGradientFor(s.key(), gradView(s.key()));
        return g;
    }

    /** The input in this layer's data type, dense row-major; checks its shape against {@code expected} (-1: any). */
    protected INDArray denseInput(long... expected) {
        assertInputSet(false);
        boolean ok = input.rank() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) ok = expected[i] < 0 || input.size(i) == expected[i];
        if (!ok)
            throw new DL4JInvalidInputException(layerId() + ": input shape " + Arrays.toString(input.shape())
                    + ", expected " + Arrays.toString(expected).replace("-1", "B"));
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        return Buffers.dense(x);
    }

    /** Records whether the forward pass just run can be followed by a backward pass. */
    protected void markForward(boolean training, long batch) {
        trainedBatch = training ? batch : -1;
    }

    /** Throws unless the last forward pass was in training mode on a batch of {@code batch}. */
    protected void requireTrainingForward(long batch) {
        if (trainedBatch != batch)
            throw new IllegalStateException(layerId() + ": backward pass needs a training-mode forward pass on the same "
                    + "batch first (last training batch: " + trainedBatch + ", now: " + batch + ")");
    }

    @Override
    public void clear() {
        super.clear();
        trainedBatch = -1;
    }
}
