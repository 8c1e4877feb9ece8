package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.portable.PortableAttention;
import io.vitlens.core.model.portable.PortableOps;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The portable engine's pass of one encoder block ({@link TransformerBlock}, {@link Engine#PORTABLE}): the
 * same function, parameters, gradients, dropout / drop-path (drawn in the same order from ND4J's RNG) and
 * ablations as the fast engine, written with {@link PortableOps} and {@link PortableAttention} only.
 *
 * <p>Dimension letters: B batch, T tokens, D width, H heads, d = D/H, M MLP width, R = B*T token rows,
 * S projection sections. Arrays kept for the backward pass live in the layer's cache (outside workspaces);
 * temporaries of the ND4J ops live in whatever workspace DL4J has open.
 */
final class PortableBlock {

    private final TransformerBlock layer;
    /** Dropout / drop-path masks of the last training forward pass (already scaled by 1/keep), null if off. */
    private INDArray maskProj, maskHidden, maskMlp, pathAttn, pathMlp;

    PortableBlock(TransformerBlock layer) {
        this.layer = layer;
    }

    private TransformerBlockLayer conf() {
        return layer.layerConf();
    }

    private DataType type() {
        return layer.getDataType();
    }

    private INDArray buf(String name, long... shape) {
        return layer.cache.get(name, type(), shape);
    }

    INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        TransformerBlockLayer c = conf();
        int t = c.tokens(), d = c.dim(), m = c.mlpDim(), heads = c.heads(), hd = c.headDim(), s = c.sections();
        INDArray x = layer.denseInput(-1, t, d);
        int b = Math.toIntExact(x.size(0));
        long r = (long) b * t;
        INDArray x2 = x.reshape('c', r, d);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, type(), new long[]{b, t, d}, 'c');
        INDArray out2 = out.reshape('c', r, d);
        INDArray y1 = buf("y1", r, d), h = buf("h", r, d), y2 = buf("y2", r, d);   // [R, D]
        INDArray qkv = buf("qkv", r, (long) s * d);                                 // [R, S*D]
        INDArray attn = buf("attn", b, heads, t, t);                                // [B, H, T, T]
        INDArray u = buf("u", r, m), act = buf("act", r, m);                        // [R, M]

        // attention branch: h = x + DropPath(Drop(Proj(MHSA(LN1(x)))))
        PortableOps.layerNormForward(x2, layer.param("ln1g"), layer.param("ln1b"), ViTLayerConf.LN_EPS, y1,
                buf("xhat1", r, d), buf("rstd1", r, 1));
        PortableOps.linear(y1, layer.param("qkvW"), layer.param("qkvb"), qkv);
        PortableAttention att = new PortableAttention(b, t, heads, hd);
        INDArray[] qkvHeads = gatherHeads(att, qkv, y1, b);
        INDArray oh = buf("oh", b, heads, t, hd);                                   // [B, H, T, d]
        att.forward(qkvHeads[0], qkvHeads[1], qkvHeads[2], attn, oh);
        INDArray o = buf("o", r, d);
        o.reshape('c', b, t, heads, hd).assign(oh.permute(0, 2, 1, 3));            // [B, T, H, d]
        PortableOps.linear(o, layer.param("projW"), layer.param("projb"), h);
        maskProj = dropout(training, h, "maskProj");
        pathAttn = dropPath(training, h, b, "pathAttn");
        h.addi(x2);

        // MLP branch: out = h + DropPath(Drop(FC2(Drop(GELU(FC1(LN2(h)))))))
        PortableOps.layerNormForward(h, layer.param("ln2g"), layer.param("ln2b"), ViTLayerConf.LN_EPS, y2,
                buf("xhat2", r, d), buf("rstd2", r, 1));
        PortableOps.linear(y2, layer.param("fc1W"), layer.param("fc1b"), u);
        PortableOps.geluForward(u, buf("cdf", r, m), act);
        maskHidden = dropout(training, act, "maskHidden");
        PortableOps.linear(act, layer.param("fc2W"), layer.param("fc2b"), out2);
        maskMlp = dropout(training, out2, "maskMlp");
        pathMlp = dropPath(training, out2, b, "pathMlp");
        out2.addi(h);

        layer.recordIfOn(x, attn, b);
        layer.markForward(training, b);
        return out;
    }

    /** Q, K, V as dense [B, H, T, d] arrays: K is Q's array when tied, V comes from LN1(x) when the identity. */
    private INDArray[] gatherHeads(PortableAttention att, INDArray qkv, INDArray y1, int b) {
        TransformerBlockLayer c = conf();
        int t = c.tokens(), heads = c.heads(), hd = c.headDim(), s = c.sections();
        INDArray q = buf("q", b, heads, t, hd);
        att.gather(qkv, s, 0, q);
        INDArray k = q;
        if (!c.tieQk()) {
            k = buf("k", b, heads, t, hd);
            att.gather(qkv, s, c.keySection(), k);
        }
        INDArray v = buf("v", b, heads, t, hd);
        if (c.valueIdentity()) att.gather(y1, 1, 0, v);
        else att.gather(qkv, s, c.valueSection(), v);
        return new INDArray[]{q, k, v};
    }

    Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        TransformerBlockLayer c = conf();
        int t = c.tokens(), d = c.dim(), m = c.mlpDim(), heads = c.heads(), hd = c.headDim(), s = c.sections();
        int b = Math.toIntExact(layer.getInput().size(0));
        layer.requireTrainingForward(b);
        long r = (long) b * t;
        INDArray eps = Buffers.dense(epsilon.castTo(type())).reshape('c', r, d);  // dL/dout [R, D]
        INDArray y1 = buf("y1", r, d), o = buf("o", r, d), y2 = buf("y2", r, d);
        INDArray qkv = buf("qkv", r, (long) s * d);
        INDArray u = buf("u", r, m), act = buf("act", r, m);
        INDArray dAct = buf("dAct", r, m), dY = buf("dY", r, d), dh = buf("dh", r, d), dO = buf("dO", r, d);

        // MLP branch
        INDArray dMlp = masked(eps, pathMlp, maskMlp, b, "dMlp");
        PortableOps.linearParamGrads(dMlp, act, layer.gradView("fc2W"), layer.gradView("fc2b"));
        PortableOps.linearInputGrad(dMlp, layer.param("fc2W"), dAct, false);          // [R, M]
        if (maskHidden != null) dAct.muli(maskHidden);
        PortableOps.geluBackward(u, buf("cdf", r, m), dAct);                        // dU
        PortableOps.linearParamGrads(dAct, y2, layer.gradView("fc1W"), layer.gradView("fc1b"));
        PortableOps.linearInputGrad(dAct, layer.param("fc1W"), dY, false);           // dLN2-output [R, D]
        dh.assign(eps);
        PortableOps.layerNormBackward(dY, layer.param("ln2g"), buf("xhat2", r, d), buf("rstd2", r, 1), dh, true,
                layer.gradView("ln2g"), layer.gradView("ln2b"));

        // attention branch
        INDArray dAttnOut = masked(dh, pathAttn, maskProj, b, "dAttnOut");
        PortableOps.linearParamGrads(dAttnOut, o, layer.gradView("projW"), layer.gradView("projb"));
        PortableOps.linearInputGrad(dAttnOut, layer.param("projW"), dO, false);
        INDArray dOh = buf("dOh", b, heads, t, hd);
        dOh.assign(dO.reshape('c', b, t, heads, hd).permute(0, 2, 1, 3));           // [B, H, T, d]
        PortableAttention att = new PortableAttention(b, t, heads, hd);
        INDArray q = buf("q", b, heads, t, hd), v = buf("v", b, heads, t, hd);
        INDArray k = c.tieQk() ? q : buf("k", b, heads, t, hd);
        INDArray dq = buf("dq", b, heads, t, hd), dk = buf("dk", b, heads, t, hd), dv = buf("dv", b, heads, t, hd);
        att.backward(q, k, v, buf("attn", b, heads, t, t), dOh, buf("dScores", b, heads, t, t), dq, dk, dv);

        INDArray dQkv = buf("dQkv", r, (long) s * d);                                // every section written below
        att.scatter(dq, dQkv, s, 0, false);
        att.scatter(dk, dQkv, s, c.keySection(), c.tieQk());                       // tied: dQ + dK in one section
        if (!c.valueIdentity()) att.scatter(dv, dQkv, s, c.valueSection(), false);
        PortableOps.linearParamGrads(dQkv, y1, layer.gradView("qkvW"), layer.gradView("qkvb"));
        // dY (free again) collects dLN1-output: dV first when V = LN1(x), then + dQkv W
        if (c.valueIdentity()) att.scatter(dv, dY, 1, 0, false);
        PortableOps.linearInputGrad(dQkv, layer.param("qkvW"), dY, c.valueIdentity());

        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type(), new long[]{b, t, d}, 'c');
        INDArray dx2 = dx.reshape('c', r, d);
        dx2.assign(dh);
        PortableOps.layerNormBackward(dY, layer.param("ln1g"), buf("xhat1", r, d), buf("rstd1", r, 1), dx2, true,
                layer.gradView("ln1g"), layer.gradView("ln1b"));
        return new Pair<>(layer.allGradients(), dx);
    }

    /**
     * q and k of {@link TransformerBlock#queriesAndKeys}: the fused projection of LN1(tokens), [T', S*D],
     * for tokens [T', D] (dense, detached).
     */
    INDArray projectTokens(INDArray tokens) {
        TransformerBlockLayer c = conf();
        long n = tokens.size(0);
        int d = c.dim();
        INDArray y = Nd4j.createUninitialized(type(), n, d);
        PortableOps.layerNormForward(tokens, layer.param("ln1g"), layer.param("ln1b"), ViTLayerConf.LN_EPS, y,
                Nd4j.createUninitialized(type(), n, d), Nd4j.createUninitialized(type(), n, 1));
        INDArray p = Nd4j.createUninitialized(type(), n, (long) c.sections() * d);
        PortableOps.linear(y, layer.param("qkvW"), layer.param("qkvb"), p);
        return p;
    }

    /** Inverted dropout in place on {@code a} [R, X] when training; returns the scaled mask (or null). */
    private INDArray dropout(boolean training, INDArray a, String name) {
        double p = conf().dropout();
        if (!training || p == 0.0) return null;
        INDArray mask = layer.cache.get(name, type(), a.shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p));
        mask.divi(1.0 - p);
        a.muli(mask);
        return mask;
    }

    /** Stochastic depth in place on a branch output [R, D]: whole images dropped, kept ones scaled by 1/keep. */
    private INDArray dropPath(boolean training, INDArray a, int b, String name) {
        double p = conf().dropPath();
        if (!training || p == 0.0) return null;
        INDArray keep = layer.cache.get(name, type(), b, 1);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 1.0 - p));
        keep.divi(1.0 - p);
        a.reshape('c', b, a.length() / b).muliColumnVector(keep);
        return keep;
    }

    /** The gradient through the masks of a branch: {@code g} itself if none, else a masked copy. */
    private INDArray masked(INDArray g, INDArray path, INDArray mask, int b, String name) {
        if (path == null && mask == null) return g;
        INDArray out = layer.cache.get(name, type(), g.shape());
        out.assign(g);
        if (mask != null) out.muli(mask);
        if (path != null) out.reshape('c', b, out.length() / b).muliColumnVector(path);
        return out;
    }
}
