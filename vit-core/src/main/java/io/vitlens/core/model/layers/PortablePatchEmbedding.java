package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.portable.PortableOps;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The portable engine's pass of the patch embedding ({@link PatchEmbedding}, {@link Engine#PORTABLE}):
 * im2col as a reshape + permute copy, one product for the whole batch, then CLS, bias and position
 * embedding added as one row of [T*D] per image; ND4J ops only.
 *
 * <p>Shapes: images [B, C, S, S] = [B, C, g, P, g, P]; patch matrix [B*N, C*P*P] = [B, g, g, C, P, P]
 * (row b*N + r*g + c, columns in timm's conv weight order); tokens [B, T, D].
 */
final class PortablePatchEmbedding {

    private final PatchEmbedding layer;
    /** The fixed sincos2d table [T, D] (built once on the host: it is a constant, not part of a step). */
    private INDArray sinCos;

    PortablePatchEmbedding(PatchEmbedding layer) {
        this.layer = layer;
    }

    private DataType type() {
        return layer.getDataType();
    }

    private INDArray buf(String name, long... shape) {
        return layer.cache.get(name, type(), shape);
    }

    INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        PatchEmbeddingLayer c = layer.layerConf();
        int ch = c.channels(), s = c.imageSize(), p = c.patchSize(), g = c.grid(), n = c.patches();
        int t = c.tokens(), d = c.dim(), len = c.patchLength();
        INDArray x = layer.denseInput(-1, ch, s, s);
        long b = x.size(0);
        INDArray cols = buf("cols", b * n, len);
        cols.reshape('c', b, g, g, ch, p, p)
                .assign(x.reshape('c', b, ch, g, p, g, p).permute(0, 2, 4, 1, 3, 5)); // [B, g, g, C, P, P]
        INDArray patchTokens = buf("patchTokens", b * n, d);
        Nd4j.gemm(cols, layer.param("W"), patchTokens, false, true, 1.0, 0.0);       // [B*N, CPP] x [CPP, D]
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, type(), new long[]{b, t, d}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all())
                .assign(patchTokens.reshape('c', b, n, d));
        out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0);
        out.reshape('c', b, (long) t * d).addiRowVector(tokenAddend().reshape(1, (long) t * d));
        layer.markForward(training, b);
        return out;
    }

    /** What is added to every image's tokens, [T, D]: row 0 = cls + pos[0], row t = bias + pos[t]. */
    private INDArray tokenAddend() {
        PatchEmbeddingLayer c = layer.layerConf();
        int t = c.tokens(), d = c.dim();
        INDArray a = buf("addend", t, d);
        a.assign(positionTable());
        a.get(NDArrayIndex.point(0), NDArrayIndex.all()).addi(layer.param("cls").reshape(d));
        a.get(NDArrayIndex.interval(1, t), NDArrayIndex.all()).addiRowVector(layer.param("b").reshape(1, d));
        return a;
    }

    /**
     * The position embedding [T, D] with the CLS row first: learned: pos; learned-2d: posCls, then
     * posRow[r] + posCol[c]; sincos2d: {@link SinCos2d}; none: zeros. May be a view of a parameter.
     */
    INDArray positionTable() {
        PatchEmbeddingLayer c = layer.layerConf();
        int g = c.grid(), t = c.tokens(), d = c.dim();
        switch (c.posEmbedding()) {
            case LEARNED:
                return layer.param("pos").reshape(t, d);
            case LEARNED_2D: {
                INDArray a = buf("posTable", t, d);
                a.get(NDArrayIndex.point(0), NDArrayIndex.all()).assign(layer.param("posCls").reshape(d));
                INDArray grid = layer.param("posRow").reshape(g, 1, d).add(layer.param("posCol").reshape(1, g, d)); // [g, g, D]
                a.get(NDArrayIndex.interval(1, t), NDArrayIndex.all()).assign(grid.reshape('c', (long) g * g, d));
                return a;
            }
            case SINCOS_2D:
                if (sinCos == null || sinCos.dataType() != type()) {
                    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                        sinCos = SinCos2d.table(g, d, type());
                    }
                }
                return sinCos;
            case NONE:
                return buf("posTable", t, d).assign(0);
            default:
                throw new IllegalStateException("unknown position embedding " + c.posEmbedding());
        }
    }

    Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        PatchEmbeddingLayer c = layer.layerConf();
        int ch = c.channels(), s = c.imageSize(), p = c.patchSize(), g = c.grid(), n = c.patches();
        int t = c.tokens(), d = c.dim(), len = c.patchLength();
        long b = layer.getInput().size(0);
        layer.requireTrainingForward(b);
        INDArray eps = Buffers.dense(epsilon.castTo(type()));                          // [B, T, D]

        // sum over images [T, D]: the CLS row -> cls (and posCls); patch rows -> bias and positions
        INDArray tokenSum = buf("tokenSum", t, d);
        tokenSum.assign(eps.sum(0));
        INDArray patchSum = tokenSum.get(NDArrayIndex.interval(1, t), NDArrayIndex.all()); // [N, D]
        layer.gradView("cls").assign(tokenSum.get(NDArrayIndex.point(0), NDArrayIndex.all())
                .reshape(layer.gradView("cls").shape()));
        PortableOps.columnSums(patchSum, layer.gradView("b"));
        switch (c.posEmbedding()) {
            case LEARNED -> layer.gradView("pos").assign(tokenSum.reshape(layer.gradView("pos").shape()));
            case LEARNED_2D -> {
                INDArray grid = patchSum.dup('c').reshape('c', g, g, d);               // [r, c, D]
                layer.gradView("posRow").assign(grid.sum(1).reshape(layer.gradView("posRow").shape()));
                layer.gradView("posCol").assign(grid.sum(0).reshape(layer.gradView("posCol").shape()));
                layer.gradView("posCls").assign(layer.gradView("cls"));
            }
            case SINCOS_2D, NONE -> { }
        }

        // the patch tokens' gradients gathered into [B*N, D], then one product each for dW and dCols
        INDArray dPatch = buf("dPatchTokens", b * n, d);
        dPatch.reshape('c', b, n, d).assign(eps.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all()));
        INDArray cols = buf("cols", b * n, len);
        Nd4j.gemm(dPatch, cols, layer.gradView("W"), true, false, 1.0, 0.0);          // [D, B*N] x [B*N, CPP]
        INDArray dCols = buf("dCols", b * n, len);
        Nd4j.gemm(dPatch, layer.param("W"), dCols, false, false, 1.0, 0.0);           // [B*N, D] x [D, CPP]
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type(), new long[]{b, ch, s, s}, 'c');
        dx.reshape('c', b, ch, g, p, g, p).permute(0, 2, 4, 1, 3, 5)
                .assign(dCols.reshape('c', b, g, g, ch, p, p));
        return new Pair<>(layer.allGradients(), dx);
    }
}
