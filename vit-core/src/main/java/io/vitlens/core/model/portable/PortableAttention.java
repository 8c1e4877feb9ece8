package io.vitlens.core.model.portable;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The heads of multi-head self-attention as batched ND4J products: O_h = softmax(Q_h K_h^T / sqrt(d)) V_h
 * for every image and head at once, and its backward pass.
 *
 * <p>Dimension letters: B batch, T tokens, H heads, d head dimension, S sections of width D = H*d in a
 * projection buffer. Heads are gathered from the row-major projection [B*T, S*D] into dense [B, H, T, d]
 * arrays (one strided copy each, a device op), so every product is one batched {@code matmul} over B*H.
 */
public final class PortableAttention {

    private final int batch, tokens, heads, headDim;

    public PortableAttention(int batch, int tokens, int heads, int headDim) {
        this.batch = batch;
        this.tokens = tokens;
        this.heads = heads;
        this.headDim = headDim;
    }

    /** The view of section {@code section} of {@code src} [B*T, sections*D] as [B, H, T, d] (strided, no copy). */
    private INDArray headView(INDArray src, int sections, int section) {
        return src.reshape('c', batch, tokens, sections, heads, headDim)               // [B, T, S, H, d]
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(section), NDArrayIndex.all(),
                        NDArrayIndex.all())                                             // [B, T, H, d]
                .permute(0, 2, 1, 3);                                                   // [B, H, T, d]
    }

    /** Copies section {@code section} of {@code src} [B*T, sections*D] into dense {@code dst} [B, H, T, d]. */
    public void gather(INDArray src, int sections, int section, INDArray dst) {
        dst.assign(headView(src, sections, section));
    }

    /** Writes (or, with {@code add}, adds) {@code heads} [B, H, T, d] into section {@code section} of dst [B*T, sections*D]. */
    public void scatter(INDArray heads, INDArray dst, int sections, int section, boolean add) {
        INDArray view = headView(dst, sections, section);
        if (add) view.addi(heads);
        else view.assign(heads);
    }

    private INDArray bh(INDArray a) { // [B, H, X, Y] -> [B*H, X, Y], a view of a dense array
        return a.reshape('c', (long) batch * heads, a.size(2), a.size(3));
    }

    private INDArray rows(INDArray a) { // [B, H, T, T] -> [B*H*T, T]
        return a.reshape('c', (long) batch * heads * tokens, tokens);
    }

    /**
     * Forward from dense q, k, v [B, H, T, d]: attn [B, H, T, T] receives the probabilities (rows sum to 1),
     * out [B, H, T, d] the head outputs.
     */
    public void forward(INDArray q, INDArray k, INDArray v, INDArray attn, INDArray out) {
        Nd4j.matmul(bh(q), bh(k), bh(attn), false, true, false);                   // Q K^T [B*H, T, T]
        attn.muli(1.0 / Math.sqrt(headDim));
        PortableOps.softmaxRows(rows(attn));
        Nd4j.matmul(bh(attn), bh(v), bh(out), false, false, false);                // A V [B*H, T, d]
    }

    /**
     * Backward from dOut [B, H, T, d] (dense): dq, dk, dv [B, H, T, d] are overwritten; {@code dScores}
     * [B, H, T, T] is scratch. With tied Q and K pass the same arrays for q and k: dq and dk are then the
     * two halves of the shared gradient, to be summed by the caller.
     */
    public void backward(INDArray q, INDArray k, INDArray v, INDArray attn, INDArray dOut, INDArray dScores,
                         INDArray dq, INDArray dk, INDArray dv) {
        Nd4j.matmul(bh(dOut), bh(v), bh(dScores), false, true, false);             // dA = dO V^T [B*H, T, T]
        Nd4j.matmul(bh(attn), bh(dOut), bh(dv), true, false, false);               // dV = A^T dO [B*H, T, d]
        PortableOps.softmaxBackwardRows(rows(attn), rows(dScores));               // dS (of the scaled scores)
        dScores.muli(1.0 / Math.sqrt(headDim));
        Nd4j.matmul(bh(dScores), bh(k), bh(dq), false, false, false);              // dQ = dS K [B*H, T, d]
        Nd4j.matmul(bh(dScores), bh(q), bh(dk), true, false, false);               // dK = dS^T Q [B*H, T, d]
    }
}
