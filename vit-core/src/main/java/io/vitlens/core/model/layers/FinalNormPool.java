package io.vitlens.core.model.layers;

import io.vitlens.core.Pooling;
import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.kernels.PhaseTimer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The final LayerNorm and pooling of {@link FinalNormPoolLayer}. LayerNorm acts per token, so CLS
 * pooling normalises only token 0 of each image; mean pooling normalises every token and averages
 * tokens 1..N. Shapes: tokens [B, T, D] -> features [B, D].
 */
public final class FinalNormPool extends ViTLayer<FinalNormPoolLayer> {

    private transient double[] mean = new double[0], rstd = new double[0];
    private transient PortableFinalNormPool portablePass;

    public FinalNormPool(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean cls() {
        return layerConf().pooling() == Pooling.CLS;
    }

    private PortableFinalNormPool portablePass() {
        if (portablePass == null) portablePass = new PortableFinalNormPool(this);
        return portablePass;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        if (portable()) return portablePass().activate(training, mgr);
        long clock = PhaseTimer.start();
        FinalNormPoolLayer c = layerConf();
        int t = c.tokens(), d = c.dim();
        INDArray x = denseInput(-1, t, d);
        long b = x.size(0);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{b, d}, 'c');
        if (cls()) {
            INDArray xc = cache.get("xc", dataType, b, d);                           // [B, D]
            xc.assign(x.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
            ensureStats(b);
            kernels().layerNormForward(xc, param("g"), param("b"), ViTLayerConf.LN_EPS, out, mean, rstd);
        } else {
            INDArray y = cache.get("y", dataType, b, t, d);                          // [B, T, D]
            ensureStats(b * t);
            kernels().layerNormForward(x, param("g"), param("b"), ViTLayerConf.LN_EPS, y, mean, rstd);
            out.assign(y.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all()).mean(1));
        }
        markForward(training, b);
        PhaseTimer.stop("fwd final norm + pool", clock);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (portable()) return portablePass().backpropGradient(epsilon, mgr);
        long clock = PhaseTimer.start();
        FinalNormPoolLayer c = layerConf();
        int t = c.tokens(), d = c.dim();
        long b = input.size(0);
        requireTrainingForward(b);
        INDArray eps = Buffers.dense(epsilon.castTo(dataType));                      // [B, D]
        INDArray dx = mgr.create(ArrayType.ACTIVATION_GRAD, dataType, new long[]{b, t, d}, 'c');
        if (cls()) {
            INDArray dxc = cache.get("dxc", dataType, b, d);
            kernels().layerNormBackward(cache.get("xc", dataType, b, d), param("g"), mean, rstd, eps, dxc, false,
                    gradView("g"), gradView("b"));
            dx.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(dxc);
        } else {
            INDArray dy = cache.get("dy", dataType, b, t, d);                       // eps / N on tokens 1..N
            dy.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0);
            INDArray patches = dy.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all());
            patches.assign(eps.reshape(b, 1, d).broadcast(b, t - 1, d)).divi(t - 1);
            INDArray x = Buffers.dense(input.castTo(dataType));
            kernels().layerNormBackward(x, param("g"), mean, rstd, dy, dx, false, gradView("g"), gradView("b"));
        }
        PhaseTimer.stop("bwd final norm + pool", clock);
        return new Pair<>(allGradients(), dx);
    }

    private void ensureStats(long rows) {
        if (mean.length < rows) {
            mean = new double[Math.toIntExact(rows)];
            rstd = new double[Math.toIntExact(rows)];
        }
    }
}
