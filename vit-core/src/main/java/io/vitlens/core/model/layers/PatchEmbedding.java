package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Blas;
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
 * The patch embedding of {@link PatchEmbeddingLayer}: a stride-P convolution written as im2col + one
 * matrix product per image, then CLS, bias and position embedding added.
 *
 * <p>Shapes: images [B, C, S, S]; patch matrix [B*N, C*P*P] with row b*N + r*g + c and column
 * ch*P*P + i*P + j (pixel (r*P + i, c*P + j) of channel ch: timm's conv weight order); tokens [B, T, D].
 */
public final class PatchEmbedding extends ViTLayer<PatchEmbeddingLayer> {

    private transient double[] sinCos;

    private transient PatchLayout layout;
    private transient PortablePatchEmbedding portablePass;

    public PatchEmbedding(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private PatchLayout layout() {
        if (layout == null) {
            PatchEmbeddingLayer c = layerConf();
            layout = new PatchLayout(c.channels(), c.imageSize(), c.patchSize());
        }
        return layout;
    }

    private PortablePatchEmbedding portablePass() {
        if (portablePass == null) portablePass = new PortablePatchEmbedding(this);
        return portablePass;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        if (portable()) return portablePass().activate(training, mgr);
        long clock = PhaseTimer.start();
        PatchEmbeddingLayer c = layerConf();
        int ch = c.channels(), s = c.imageSize(), n = c.patches();
        int t = c.tokens(), d = c.dim(), len = c.patchLength();
        INDArray x = denseInput(-1, ch, s, s);
        long b = x.size(0);
        INDArray cols = cache.get("cols", dataType, b * n, len);
        // [B, C, g, P, g, P] -> [B, g, g, C, P, P]: one row of C*P*P per patch, in timm's weight order
        layout().toPatches(x, cols, b);

        // one product for the whole batch ([B*N, C*P*P] x [C*P*P, D]; per image it was 128 calls too small
        // for BLAS to run well), then each image's patch rows are copied behind its CLS row
        INDArray patchTokens = cache.get("patchTokens", dataType, b * n, d);
        Blas.gemm(false, true, Math.toIntExact(b * n), d, len, 1.0, cols, 0, len, param("W"), 0, len, 0.0, patchTokens, 0, d);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{b, t, d}, 'c');
        for (long i = 0; i < b; i++) Buffers.copy(patchTokens, i * n * d, out, (i * t + 1) * d, n * d);
        out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0);
        INDArray addend = cache.get("addend", dataType, 1, (long) t * d);
        Buffers.fromDoubles(tokenAddend(), addend);
        out.reshape('c', b, (long) t * d).addiRowVector(addend); // + [cls; bias] + position, per image
        markForward(training, b);
        PhaseTimer.stop("fwd patch embedding", clock);
        return out;
    }

    /** What is added to every image's tokens, [T*D]: row 0 = cls + pos[0], row t = bias + pos[t]. */
    private double[] tokenAddend() {
        PatchEmbeddingLayer c = layerConf();
        int t = c.tokens(), d = c.dim();
        double[] a = positionTable();
        double[] cls = Buffers.toDoubles(param("cls"));
        double[] bias = Buffers.toDoubles(param("b"));
        for (int j = 0; j < d; j++) a[j] += cls[j];
        for (int k = 1; k < t; k++)
            for (int j = 0; j < d; j++) a[k * d + j] += bias[j];
        return a;
    }

    /**
     * The position embedding added to each token, [T*D] row-major with the CLS row first: learned: pos;
     * learned-2d: posCls, then posRow[r] + posCol[c]; sincos2d: {@link SinCos2d}; none: zeros.
     */
    public double[] positionTable() {
        PatchEmbeddingLayer c = layerConf();
        int g = c.grid(), t = c.tokens(), d = c.dim();
        if (portable()) // read through ND4J, which brings a device buffer to the host first
            return portablePass().positionTable().castTo(DataType.DOUBLE).dup('c').reshape((long) t * d).toDoubleVector();
        switch (c.posEmbedding()) {
            case LEARNED:
                return Buffers.toDoubles(param("pos"));
            case LEARNED_2D: {
                double[] row = Buffers.toDoubles(param("posRow"));
                double[] col = Buffers.toDoubles(param("posCol"));
                double[] a = new double[t * d];
                System.arraycopy(Buffers.toDoubles(param("posCls")), 0, a, 0, d);
                for (int r = 0; r < g; r++)
                    for (int cc = 0; cc < g; cc++)
                        for (int j = 0; j < d; j++) a[(1 + r * g + cc) * d + j] = row[r * d + j] + col[cc * d + j];
                return a;
            }
            case SINCOS_2D:
                if (sinCos == null) sinCos = Buffers.toDoubles(SinCos2d.table(g, d, DataType.DOUBLE));
                return sinCos.clone();
            case NONE:
                return new double[t * d];
            default:
                throw new IllegalStateException("unknown position embedding " + c.posEmbedding());
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (portable()) return portablePass().backpropGradient(epsilon, mgr);
        long clock = PhaseTimer.start();
        PatchEmbeddingLayer c = layerConf();
        int ch = c.channels(), s = c.imageSize(), g = c.grid(), n = c.patches();
        int t = c.tokens(), d = c.dim(), len = c.patchLength();
        long b = input.size(0);
        requireTrainingForward(b);
        INDArray eps = Buffers.dense(epsilon.castTo(dataType)); // [B, T, D]
        INDArray cols = cache.get("cols", dataType, b * n, len);

        // sum over images: [T, D]; CLS row -> cls (and posCls / pos[0]); patch rows -> bias and positions
        INDArray tokenSum = cache.get("tokenSum", dataType, (long) t * d);
        kernels().columnSums(eps.reshape('c', b, (long) t * d), tokenSum);
        double[] ts = Buffers.toDoubles(tokenSum);
        double[] dCls = new double[d];
        double[] dBias = new double[d];
        System.arraycopy(ts, 0, dCls, 0, d);
        for (int k = 1; k < t; k++)
            for (int j = 0; j < d; j++) dBias[j] += ts[k * d + j];
        Buffers.fromDoubles(dCls, gradView("cls"));
        Buffers.fromDoubles(dBias, gradView("b"));
        switch (c.posEmbedding()) {
            case LEARNED -> Buffers.fromDoubles(ts, gradView("pos"));
            case LEARNED_2D -> {
                double[] dRow = new double[g * d];
                double[] dCol = new double[g * d];
                for (int r = 0; r < g; r++)
                    for (int cc = 0; cc < g; cc++)
                        for (int j = 0; j < d; j++) {
                            double v = ts[(1 + r * g + cc) * d + j];
                            dRow[r * d + j] += v;
                            dCol[cc * d + j] += v;
                        }
                Buffers.fromDoubles(dRow, gradView("posRow"));
                Buffers.fromDoubles(dCol, gradView("posCol"));
                Buffers.fromDoubles(dCls, gradView("posCls"));
            }
            case SINCOS_2D, NONE -> { }
        }

        // the patch tokens' gradients gathered into [B*N, D], then one product each for dW and dCols
        INDArray dPatch = cache.get("dPatchTokens", dataType, b * n, d);
        for (long i = 0; i < b; i++) Buffers.copy(eps, (i * t + 1) * d, dPatch, i * n * d, n * d);
        INDArray dCols = cache.get("dCols", dataType, b * n, len);
        int rows = Math.toIntExact(b * n);
        Blas.gemm(true, false, d, len, rows, 1.0, dPatch, 0, d, cols, 0, len, 0.0, gradView("W"), 0, len); // [D, B*N] x [B*N, CPP]
        Blas.gemm(false, false, rows, len, d, 1.0, dPatch, 0, d, param("W"), 0, len, 0.0, dCols, 0, len);  // [B*N, D] x [D, CPP]
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{b, ch, s, s}, 'c');
        layout().toImages(dCols, dx, b);
        PhaseTimer.stop("bwd patch embedding", clock);
        return new Pair<>(allGradients(), dx);
    }
}
