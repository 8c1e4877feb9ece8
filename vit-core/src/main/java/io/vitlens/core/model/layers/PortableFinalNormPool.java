package io.vitlens.core.model.layers;

import io.vitlens.core.Pooling;
import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.portable.PortableOps;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The portable engine's pass of the final LayerNorm and pooling ({@link FinalNormPool},
 * {@link Engine#PORTABLE}): CLS pooling normalises token 0 only, mean pooling normalises every token and
 * averages tokens 1..N. Tokens [B, T, D] -> features [B, D]; ND4J ops only.
 */
final class PortableFinalNormPool {

    private final FinalNormPool layer;

    PortableFinalNormPool(FinalNormPool layer) {
        this.layer = layer;
    }

    private DataType type() {
        return layer.getDataType();
    }

    private INDArray buf(String name, long... shape) {
        return layer.cache.get(name, type(), shape);
    }

    private boolean cls() {
        return layer.layerConf().pooling() == Pooling.CLS;
    }

    INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        FinalNormPoolLayer c = layer.layerConf();
        int t = c.tokens(), d = c.dim();
        INDArray x = layer.denseInput(-1, t, d);
        long b = x.size(0);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, type(), new long[]{b, d}, 'c');
        if (cls()) {
            INDArray xc = buf("xc", b, d);                                             // [B, D]
            xc.assign(x.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
            PortableOps.layerNormForward(xc, layer.param("g"), layer.param("b"), ViTLayerConf.LN_EPS, out,
                    buf("xhat", b, d), buf("rstd", b, 1));
        } else {
            INDArray y = buf("y", b * t, d);                                           // [B*T, D]
            PortableOps.layerNormForward(x.reshape('c', b * t, d), layer.param("g"), layer.param("b"),
                    ViTLayerConf.LN_EPS, y, buf("xhat", b * t, d), buf("rstd", b * t, 1));
            out.assign(y.reshape('c', b, t, d).get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all())
                    .mean(1));
        }
        layer.markForward(training, b);
        return out;
    }

    Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        FinalNormPoolLayer c = layer.layerConf();
        int t = c.tokens(), d = c.dim();
        long b = layer.getInput().size(0);
        layer.requireTrainingForward(b);
        INDArray eps = Buffers.dense(epsilon.castTo(type()));                          // [B, D]
        INDArray dx = mgr.create(ArrayType.ACTIVATION_GRAD, type(), new long[]{b, t, d}, 'c');
        if (cls()) {
            INDArray dxc = buf("dxc", b, d);
            PortableOps.layerNormBackward(eps, layer.param("g"), buf("xhat", b, d), buf("rstd", b, 1), dxc, false,
                    layer.gradView("g"), layer.gradView("b"));
            dx.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(dxc);
        } else {
            INDArray dy = buf("dy", b, t, d);                                          // eps / N on tokens 1..N
            dy.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0);
            dy.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all())
                    .assign(eps.reshape(b, 1, d).broadcast(b, t - 1, d)).divi(t - 1);
            PortableOps.layerNormBackward(dy.reshape('c', b * t, d), layer.param("g"), buf("xhat", b * t, d),
                    buf("rstd", b * t, 1), dx.reshape('c', b * t, d), false, layer.gradView("g"), layer.gradView("b"));
        }
        return new Pair<>(layer.allGradients(), dx);
    }
}
