package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Blas;
import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.kernels.FastFloatKernels;
import io.vitlens.core.model.kernels.KernelChooser;
import io.vitlens.core.model.kernels.KernelFamily;
import io.vitlens.core.model.kernels.KernelKey;
import io.vitlens.core.model.kernels.Kernels;
import io.vitlens.core.model.kernels.PhaseTimer;
import io.vitlens.core.model.kernels.SimdAttention;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The heads of multi-head self-attention, between the fused qkv projection and the output projection:
 * O_h = softmax(Q_h K_h^T / sqrt(d)) V_h per image and head, and its backward pass.
 *
 * <p>Q, K and V are read in place from the row-major projection buffer (rows b*T + t, head h in columns
 * col + h*d .. col + h*d + d - 1, leading dimension {@code ld}) with one small BLAS product per image and
 * head, so no permute or copy into [B, H, T, d] is needed (dl4j-notes.md: 10x faster than ND4J views).
 * V may live in a different buffer (the LN1 output when the value projection is the identity).
 * At CIFAR token counts these products are too small for OpenBLAS to thread, so the images are spread
 * over the fork-join pool instead ({@link #perImage}); every product writes its own block, so the result
 * does not depend on the schedule.
 *
 * @param batch  B
 * @param tokens T
 * @param heads  H
 * @param headDim d
 * @param qk     buffer holding Q and K, [B*T, ld]
 * @param ld     its leading dimension
 * @param qCol   first column of Q
 * @param kCol   first column of K (equal to qCol when Q and K are tied)
 * @param v      buffer holding V, [B*T, ldv]
 * @param ldv    its leading dimension
 * @param vCol   first column of V
 */
record AttentionCore(int batch, int tokens, int heads, int headDim, INDArray qk, int ld, int qCol, int kCol,
                     INDArray v, int ldv, int vCol) {

    double scale() {
        return 1.0 / Math.sqrt(headDim);
    }

    private long attnOffset(int b, int h) {
        return ((long) b * heads + h) * tokens * tokens;
    }

    private long row(int b, int width) {
        return (long) b * tokens * width;
    }

    /**
     * Forward: attn [B*H*T, T] receives the attention probabilities (rows sum to 1), out [B*T, H*d] the
     * concatenated head outputs.
     */
    void forward(INDArray attn, INDArray out, Kernels kernels) {
        forward(attn, true, out, kernels);
    }

    /**
     * As {@link #forward(INDArray, INDArray, Kernels)}; with {@code keepAttention} false (inference, nothing
     * recorded) the vector path does not write the probabilities back to {@code attn}, a [B*H*T, T] array
     * that only the backward pass and recording read.
     */
    void forward(INDArray attn, boolean keepAttention, INDArray out, Kernels kernels) {
        if (vectorPath(KernelFamily.ATTENTION_FORWARD, kernels, () -> forwardVector(attn, keepAttention, out),
                () -> forwardBlas(attn, out, kernels)))
            forwardVector(attn, keepAttention, out);
        else
            forwardBlas(attn, out, kernels);
    }

    /** The forward as one OpenBLAS call per image, head and product, with the row kernels' softmax. */
    private void forwardBlas(INDArray attn, INDArray out, Kernels kernels) {
        int t = tokens, d = headDim, width = heads * headDim;
        long clock = PhaseTimer.start();
        perImage(b -> {
            for (int h = 0; h < heads; h++) // S = scale * Q_h K_h^T: [T, d] x [d, T]
                Blas.gemm(false, true, t, t, d, scale(), qk, row(b, ld) + qCol + h * d, ld,
                        qk, row(b, ld) + kCol + h * d, ld, 0.0, attn, attnOffset(b, h), t);
        });
        clock = PhaseTimer.stop("fwd attention products", clock);
        kernels.softmaxRows(attn);
        clock = PhaseTimer.stop("fwd softmax", clock);
        perImage(b -> {
            for (int h = 0; h < heads; h++) // O_h = A_h V_h: [T, T] x [T, d]
                Blas.gemm(false, false, t, d, t, 1.0, attn, attnOffset(b, h), t,
                        v, row(b, ldv) + vCol + h * d, ldv, 0.0, out, row(b, width) + h * d, width);
        });
        PhaseTimer.stop("fwd attention products", clock);
    }

    /**
     * Backward from dOut [B*T, H*d]. Writes dQ and dK into {@code dqk} (same layout as {@code qk}; with tied
     * Q/K their sum lands in the shared section) and dV into {@code dv} at column {@code dvCol} with leading
     * dimension {@code lddv}, overwriting. {@code dAttn} [B*H*T, T] is scratch; attn must be the forward's.
     */
    void backward(INDArray attn, INDArray dOut, INDArray dAttn, INDArray dqk, INDArray dv, int lddv, int dvCol,
                  Kernels kernels) {
        if (vectorPath(KernelFamily.ATTENTION_BACKWARD, kernels, () -> backwardVector(attn, dOut, dqk, dv, lddv, dvCol),
                () -> backwardBlas(attn, dOut, dAttn, dqk, dv, lddv, dvCol, kernels)))
            backwardVector(attn, dOut, dqk, dv, lddv, dvCol);
        else
            backwardBlas(attn, dOut, dAttn, dqk, dv, lddv, dvCol, kernels);
    }

    /** The backward as one OpenBLAS call per image, head and product, with the row kernels' softmax backward. */
    private void backwardBlas(INDArray attn, INDArray dOut, INDArray dAttn, INDArray dqk, INDArray dv, int lddv,
                              int dvCol, Kernels kernels) {
        int t = tokens, d = headDim, width = heads * headDim;
        long clock = PhaseTimer.start();
        perImage(b -> {
            for (int h = 0; h < heads; h++) {
                long dO = row(b, width) + h * d;
                // dA = dO_h V_h^T: [T, d] x [d, T]
                Blas.gemm(false, true, t, t, d, 1.0, dOut, dO, width, v, row(b, ldv) + vCol + h * d, ldv,
                        0.0, dAttn, attnOffset(b, h), t);
                // dV_h = A_h^T dO_h: [T, T] x [T, d]
                Blas.gemm(true, false, t, d, t, 1.0, attn, attnOffset(b, h), t, dOut, dO, width,
                        0.0, dv, row(b, lddv) + dvCol + h * d, lddv);
            }
        });
        clock = PhaseTimer.stop("bwd attention products", clock);
        kernels.softmaxBackwardRows(attn, dAttn); // dAttn := dS, gradient of the scaled scores
        clock = PhaseTimer.stop("bwd softmax", clock);
        boolean tied = qCol == kCol;
        perImage(b -> {
            for (int h = 0; h < heads; h++) {
                long q = row(b, ld) + qCol + h * d;
                long k = row(b, ld) + kCol + h * d;
                // dQ_h = scale * dS K_h: [T, T] x [T, d]
                Blas.gemm(false, false, t, d, t, scale(), dAttn, attnOffset(b, h), t, qk, k, ld, 0.0, dqk, q, ld);
                // dK_h = scale * dS^T Q_h, added onto dQ_h when K is Q
                Blas.gemm(true, false, t, d, t, scale(), dAttn, attnOffset(b, h), t, qk, q, ld,
                        tied ? 1.0 : 0.0, dqk, k, ld);
            }
        });
        PhaseTimer.stop("bwd attention products", clock);
    }

    /**
     * Whether the heads run as {@link SimdAttention}'s heap kernels instead of one OpenBLAS call per product:
     * where both can (FLOAT models with the vector row kernels and heads of whole vectors), the one
     * {@link KernelChooser} measured faster for this shape. Both runs are idempotent (they overwrite their
     * outputs), so the chooser may time them on the caller's arrays.
     */
    private boolean vectorPath(KernelFamily family, Kernels kernels, Runnable vector, Runnable blas) {
        boolean possible = kernels instanceof FastFloatKernels f && f.vectorized() && qk.dataType() == DataType.FLOAT
                && SimdAttention.supports(headDim);
        if (!possible) return false;
        return KernelChooser.VECTOR.equals(KernelChooser.get().choose(
                KernelKey.attention(family, batch, tokens, heads, headDim),
                KernelChooser.candidates(KernelChooser.VECTOR, vector, KernelChooser.OPENBLAS, blas)));
    }

    /** Per-thread heap copies of one image's blocks for {@link SimdAttention}. */
    private static final class ImageBuffers {
        final SimdAttention.Scratch scratch;
        final float[] qk, v, attn, out, dqk, dv;

        ImageBuffers(AttentionCore c, int lddv) {
            int t = c.tokens;
            scratch = new SimdAttention.Scratch(t, c.headDim);
            qk = new float[t * c.ld];
            v = new float[t * c.ldv];
            attn = new float[c.heads * t * t];
            out = new float[t * c.heads * c.headDim];
            dqk = new float[t * c.ld];
            dv = new float[t * lddv];
        }

        boolean fits(AttentionCore c, int lddv) {
            int t = c.tokens;
            return scratch.fits(t, c.headDim) && qk.length == t * c.ld && v.length == t * c.ldv
                    && attn.length == c.heads * t * t && out.length == t * c.heads * c.headDim && dv.length == t * lddv;
        }
    }

    private static final ThreadLocal<ImageBuffers> IMAGE_BUFFERS = new ThreadLocal<>();

    private ImageBuffers imageBuffers(int lddv) {
        ImageBuffers w = IMAGE_BUFFERS.get();
        if (w == null || !w.fits(this, lddv)) {
            w = new ImageBuffers(this, lddv);
            IMAGE_BUFFERS.set(w);
        }
        return w;
    }

    /** Every image on the fork-join pool (the heap kernels never call OpenBLAS, so nothing is nested). */
    private void eachImage(IntConsumer body) {
        if (batch == 1) body.accept(0);
        else IntStream.range(0, batch).parallel().forEach(body);
    }

    private void forwardVector(INDArray attn, boolean keepAttention, INDArray out) {
        int t = tokens, width = heads * headDim, tt = heads * t * t;
        FloatBuffer qb = Buffers.floats(qk), vb = v == qk ? qb : Buffers.floats(v);
        FloatBuffer ab = Buffers.floats(attn), ob = Buffers.floats(out);
        float s = (float) scale();
        long clock = PhaseTimer.start();
        eachImage(b -> {
            ImageBuffers w = imageBuffers(ldv);
            qb.get(b * t * ld, w.qk, 0, t * ld);                  // rows b*T .. b*T + T - 1 are one span
            float[] vh = w.qk;
            if (v != qk) {
                vb.get(b * t * ldv, w.v, 0, t * ldv);
                vh = w.v;
            }
            SimdAttention.forward(w.qk, ld, qCol, kCol, vh, ldv, vCol, heads, s, w.attn, w.out, w.scratch);
            if (keepAttention) ab.put(b * tt, w.attn, 0, tt);
            ob.put(b * t * width, w.out, 0, t * width);
        });
        PhaseTimer.stop("fwd attention products + softmax (fused)", clock);
    }

    private void backwardVector(INDArray attn, INDArray dOut, INDArray dqk, INDArray dv, int lddv, int dvCol) {
        int t = tokens, width = heads * headDim, tt = heads * t * t;
        FloatBuffer qb = Buffers.floats(qk), vb = v == qk ? qb : Buffers.floats(v);
        FloatBuffer ab = Buffers.floats(attn), gb = Buffers.floats(dOut);
        FloatBuffer dqb = Buffers.floats(dqk), dvb = dv == dqk ? dqb : Buffers.floats(dv);
        float s = (float) scale();
        long clock = PhaseTimer.start();
        eachImage(b -> {
            ImageBuffers w = imageBuffers(lddv);
            qb.get(b * t * ld, w.qk, 0, t * ld);
            float[] vh = w.qk;
            if (v != qk) {
                vb.get(b * t * ldv, w.v, 0, t * ldv);
                vh = w.v;
            }
            ab.get(b * tt, w.attn, 0, tt);
            gb.get(b * t * width, w.out, 0, t * width);           // dOut of this image
            float[] dvh = dv == dqk ? w.dqk : w.dv;
            SimdAttention.backward(w.qk, ld, qCol, kCol, vh, ldv, vCol, heads, s, w.attn, w.out,
                    w.dqk, dvh, lddv, dvCol, w.scratch);
            // every column of these spans is a Q, K or V section written above
            dqb.put(b * t * ld, w.dqk, 0, t * ld);
            if (dv != dqk) dvb.put(b * t * lddv, w.dv, 0, t * lddv);
        });
        PhaseTimer.stop("bwd attention products + softmax (fused)", clock);
    }

    /**
     * OpenBLAS threads a product itself from this many multiply-adds on (0.3.19's SMP_THRESHOLD_MIN x
     * GEMM_MULTITHREAD_THRESHOLD = 65536 x 4).
     */
    static final long OPENBLAS_THREADING_MACS = 1L << 18;

    /**
     * Runs {@code body} for every image: spread over the fork-join pool while each product is too small for
     * OpenBLAS to thread (T^2 d below its threshold, e.g. 65 tokens), else one image after the other with
     * OpenBLAS threading each product. Both at once (threaded products called from several threads)
     * measured 10-20x slower in the backward pass at 257 tokens.
     */
    private void perImage(IntConsumer body) {
        if (batch == 1 || (long) tokens * tokens * headDim >= OPENBLAS_THREADING_MACS) {
            for (int b = 0; b < batch; b++) body.accept(b);
        } else {
            IntStream.range(0, batch).parallel().forEach(body);
        }
    }
}
