package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.kernels.Kernels;
import io.vitlens.core.model.kernels.LinearOps;
import io.vitlens.core.model.kernels.PhaseTimer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * One pre-norm encoder block ({@link TransformerBlockLayer}) with a hand-written forward and backward.
 *
 * <p>Dimension letters: B batch, T tokens, D width, H heads, d = D/H, M MLP width, R = B*T token rows,
 * S projection sections. Tokens [B, T, D] are handled as one row-major matrix [R, D]; every linear layer
 * is one BLAS product into a preallocated buffer, the attention heads are {@link AttentionCore}, and
 * LayerNorm, softmax, GELU and bias sums are fused {@link Kernels}. Intermediate results needed by the
 * backward pass stay in the layer's {@link #cache}.
 */
public final class TransformerBlock extends ViTLayer<TransformerBlockLayer> {

    private transient double[] mean1 = new double[0], rstd1 = new double[0];
    private transient double[] mean2 = new double[0], rstd2 = new double[0];
    /** Dropout / drop-path masks of the last training forward pass (already scaled by 1/keep), null if off. */
    private transient INDArray maskProj, maskHidden, maskMlp, pathAttn, pathMlp;
    private transient boolean recording;
    private transient INDArray recordedInput, recordedAttention;
    private transient PortableBlock portableBlock;

    public TransformerBlock(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * While on, every forward pass keeps detached copies of its input [B, T, D] and attention [B, H, T, T]
     * for {@link #recordedInput()} / {@link #recordedAttention()}; off by default so training pays nothing.
     */
    public void setRecording(boolean on) {
        recording = on;
        if (!on) {
            recordedInput = null;
            recordedAttention = null;
        }
    }

    public INDArray recordedInput() {
        return recordedInput;
    }

    public INDArray recordedAttention() {
        return recordedAttention;
    }

    private PortableBlock portableBlock() {
        if (portableBlock == null) portableBlock = new PortableBlock(this);
        return portableBlock;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        if (portable()) return portableBlock().activate(training, mgr);
        TransformerBlockLayer c = layerConf();
        int t = c.tokens(), d = c.dim(), m = c.mlpDim(), heads = c.heads(), sd = c.sections() * d;
        INDArray x = denseInput(-1, t, d);
        int b = Math.toIntExact(x.size(0));
        long r = (long) b * t;
        Kernels k = kernels();
        INDArray x2 = x.reshape('c', r, d);
        ensureStats(r);
        long clock = PhaseTimer.start();
        INDArray y1 = cache.get("y1", dataType, r, d);                         // [R, D]
        INDArray qkv = cache.get("qkv", dataType, r, sd);                      // [R, S*D]
        INDArray attn = cache.get("attn", dataType, (long) b * heads * t, t);  // [B*H*T, T]
        INDArray o = cache.get("o", dataType, r, d);                           // [R, D]
        INDArray h = cache.get("h", dataType, r, d);                           // [R, D]
        INDArray y2 = cache.get("y2", dataType, r, d);                         // [R, D]
        INDArray act = cache.get("act", dataType, r, m);                       // [R, M]
        INDArray geluGrad = training ? cache.get("geluGrad", dataType, r, m) : null;
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{b, t, d}, 'c');
        INDArray out2 = out.reshape('c', r, d);
        clock = PhaseTimer.stop("fwd buffers", clock);

        // Dropout and drop-path act on a branch before its residual is added; without them the residual
        // and the bias are filled into the output first and the product adds onto them.
        boolean fuse = !training || (c.dropout() == 0.0 && c.dropPath() == 0.0);

        // attention branch: h = x + DropPath(Drop(Proj(MHSA(LN1(x)))))
        k.layerNormForward(x2, param("ln1g"), param("ln1b"), ViTLayerConf.LN_EPS, y1, mean1, rstd1);
        clock = PhaseTimer.stop("fwd layernorm", clock);
        clock = linear(y1, "qkvW", "qkvb", null, qkv, clock);
        core(b, qkv, y1).forward(attn, training || recording, o, k);
        clock = PhaseTimer.start();
        clock = linear(o, "projW", "projb", fuse ? x2 : null, h, clock);
        maskProj = dropout(training, h, "maskProj");
        pathAttn = dropPath(training, h, b, "pathAttn");
        if (!fuse) h.addi(x2);
        clock = PhaseTimer.stop("fwd residual+dropout", clock);

        // MLP branch: out = h + DropPath(Drop(FC2(Drop(GELU(FC1(LN2(h)))))))
        k.layerNormForward(h, param("ln2g"), param("ln2b"), ViTLayerConf.LN_EPS, y2, mean2, rstd2);
        clock = PhaseTimer.stop("fwd layernorm", clock);
        ops("fc1W").forwardGelu(y2, param("fc1W"), param("fc1b"), act, geluGrad, k);   // GELU(FC1) [R, M]
        clock = PhaseTimer.stop("fwd fc1 product + gelu", clock);
        maskHidden = dropout(training, act, "maskHidden");
        clock = PhaseTimer.stop("fwd residual+dropout", clock);
        clock = linear(act, "fc2W", "fc2b", fuse ? h : null, out2, clock);
        maskMlp = dropout(training, out2, "maskMlp");
        pathMlp = dropPath(training, out2, b, "pathMlp");
        if (!fuse) out2.addi(h);
        PhaseTimer.stop("fwd residual+dropout", clock);

        if (recording) record(x, attn, b);
        markForward(training, b);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (portable()) return portableBlock().backpropGradient(epsilon, mgr);
        TransformerBlockLayer c = layerConf();
        int t = c.tokens(), d = c.dim(), m = c.mlpDim(), heads = c.heads(), sd = c.sections() * d;
        int b = Math.toIntExact(input.size(0));
        requireTrainingForward(b);
        long r = (long) b * t;
        Kernels k = kernels();
        INDArray x2 = Buffers.dense(input.castTo(dataType)).reshape('c', r, d);
        INDArray eps = Buffers.dense(epsilon.castTo(dataType)).reshape('c', r, d); // dL/dout [R, D]

        long clock = PhaseTimer.start();
        INDArray act = cache.get("act", dataType, r, m);              // [R, M]
        INDArray geluGrad = cache.get("geluGrad", dataType, r, m);    // [R, M]
        INDArray dAct = cache.get("dAct", dataType, r, m);            // [R, M]
        INDArray y2 = cache.get("y2", dataType, r, d);                // [R, D]
        INDArray dY = cache.get("dY", dataType, r, d);                // [R, D]
        INDArray h = cache.get("h", dataType, r, d);                  // [R, D]
        INDArray dh = cache.get("dh", dataType, r, d);                // [R, D]
        INDArray o = cache.get("o", dataType, r, d);                  // [R, D]
        INDArray dO = cache.get("dO", dataType, r, d);                // [R, D]
        INDArray y1 = cache.get("y1", dataType, r, d);                // [R, D]
        INDArray qkv = cache.get("qkv", dataType, r, sd);             // [R, S*D]
        INDArray dQkv = cache.get("dQkv", dataType, r, sd);           // [R, S*D]
        INDArray attn = cache.get("attn", dataType, (long) b * heads * t, t);       // [B*H*T, T]
        INDArray dScores = cache.get("dScores", dataType, (long) b * heads * t, t); // [B*H*T, T]
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{b, t, d}, 'c');
        INDArray dx2 = dx.reshape('c', r, d);
        clock = PhaseTimer.stop("bwd buffers", clock);

        // MLP branch
        INDArray dMlp = masked(eps, pathMlp, maskMlp, b, "dMlp");
        clock = PhaseTimer.stop("bwd residual+dropout", clock);
        ops("fc2W").weightGrad(dMlp, act, gradView("fc2W"), gradView("fc2b"), k); // [D, R] x [R, M]
        clock = PhaseTimer.stop("bwd weight + bias grads", clock);
        ops("fc2W").inputGrad(dMlp, param("fc2W"), dAct, false);                  // [R, D] x [D, M]
        clock = PhaseTimer.stop("bwd input grads", clock);
        if (maskHidden != null) dAct.muli(maskHidden);
        dAct.muli(geluGrad);                                             // dU
        clock = PhaseTimer.stop("bwd gelu", clock);
        ops("fc1W").weightGrad(dAct, y2, gradView("fc1W"), gradView("fc1b"), k);  // [M, R] x [R, D]
        clock = PhaseTimer.stop("bwd weight + bias grads", clock);
        ops("fc1W").inputGrad(dAct, param("fc1W"), dY, false);                    // [R, M] x [M, D]
        clock = PhaseTimer.stop("bwd input grads", clock);
        dh.assign(eps);
        clock = PhaseTimer.stop("bwd residual+dropout", clock);
        k.layerNormBackward(h, param("ln2g"), mean2, rstd2, dY, dh, true, gradView("ln2g"), gradView("ln2b"));
        clock = PhaseTimer.stop("bwd layernorm", clock);

        // attention branch
        INDArray dAttnOut = masked(dh, pathAttn, maskProj, b, "dAttnOut");
        clock = PhaseTimer.stop("bwd residual+dropout", clock);
        ops("projW").weightGrad(dAttnOut, o, gradView("projW"), gradView("projb"), k); // [D, R] x [R, D]
        clock = PhaseTimer.stop("bwd weight + bias grads", clock);
        ops("projW").inputGrad(dAttnOut, param("projW"), dO, false);
        PhaseTimer.stop("bwd input grads", clock);

        // dY (free again) collects dLN1-output: dV first when V = LN1(x), then + dQkv W
        boolean identityV = c.valueIdentity();
        core(b, qkv, y1).backward(attn, dO, dScores, dQkv,
                identityV ? dY : dQkv, identityV ? d : sd, identityV ? 0 : c.valueSection() * d, k);
        clock = PhaseTimer.start();
        ops("qkvW").weightGrad(dQkv, y1, gradView("qkvW"), gradView("qkvb"), k);   // [S*D, R] x [R, D]
        clock = PhaseTimer.stop("bwd weight + bias grads", clock);
        ops("qkvW").inputGrad(dQkv, param("qkvW"), dY, identityV);
        clock = PhaseTimer.stop("bwd input grads", clock);

        dx2.assign(dh);
        clock = PhaseTimer.stop("bwd residual+dropout", clock);
        k.layerNormBackward(x2, param("ln1g"), mean1, rstd1, dY, dx2, true, gradView("ln1g"), gradView("ln1b"));
        PhaseTimer.stop("bwd layernorm", clock);
        return new Pair<>(allGradients(), dx);
    }

    /**
     * out = in W^T + bias (+ residual, if not null) for in [R, K], W [N, K] (timm layout), out and residual
     * [R, N], with the bias and residual folded into the product's pass ({@link LinearOps}).
     */
    private long linear(INDArray in, String weight, String bias, INDArray residual, INDArray out, long clock) {
        ops(weight).forward(in, param(weight), param(bias), residual, out, kernels());
        return PhaseTimer.stop("fwd linear products (+ bias, residual)", clock);
    }

    /** The implementation of the products of the linear layer with weight {@code weight} [N, K]. */
    private LinearOps ops(String weight) {
        INDArray w = param(weight);
        return LinearOps.forType(dataType, kernels(), (int) w.size(0), (int) w.size(1));
    }

    /** Where Q, K and V of this block live: Q (and K) in the projection, V there or in the LN1 output. */
    private AttentionCore core(int b, INDArray qkv, INDArray y1) {
        TransformerBlockLayer c = layerConf();
        int d = c.dim(), sd = c.sections() * d;
        return c.valueIdentity()
                ? new AttentionCore(b, c.tokens(), c.heads(), c.headDim(), qkv, sd, 0, c.keySection() * d, y1, d, 0)
                : new AttentionCore(b, c.tokens(), c.heads(), c.headDim(), qkv, sd, 0, c.keySection() * d,
                qkv, sd, c.valueSection() * d);
    }

    /** Inverted dropout in place on {@code a} [R, X] when training; returns the scaled mask (or null). */
    private INDArray dropout(boolean training, INDArray a, String name) {
        double p = layerConf().dropout();
        if (!training || p == 0.0) return null;
        INDArray mask = cache.get(name, dataType, a.shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p));
        mask.divi(1.0 - p);
        a.muli(mask);
        return mask;
    }

    /** Stochastic depth in place on a branch output [R, D]: whole images dropped, kept ones scaled by 1/keep. */
    private INDArray dropPath(boolean training, INDArray a, int b, String name) {
        double p = layerConf().dropPath();
        if (!training || p == 0.0) return null;
        INDArray keep = cache.get(name, dataType, b, 1);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 1.0 - p));
        keep.divi(1.0 - p);
        a.reshape('c', b, a.length() / b).muliColumnVector(keep);
        return keep;
    }

    /** The gradient through the masks of a branch: {@code g} itself if none, else a masked copy. */
    private INDArray masked(INDArray g, INDArray path, INDArray mask, int b, String name) {
        if (path == null && mask == null) return g;
        INDArray out = cache.get(name, dataType, g.shape());
        out.assign(g);
        if (mask != null) out.muli(mask);
        if (path != null) out.reshape('c', b, out.length() / b).muliColumnVector(path);
        return out;
    }

    private void ensureStats(long rows) {
        if (mean1.length < rows) {
            int n = Math.toIntExact(rows);
            mean1 = new double[n];
            rstd1 = new double[n];
            mean2 = new double[n];
            rstd2 = new double[n];
        }
    }

    /** Keeps the pass's input and attention (any dense layout of [B, H, T, T]) while recording is on. */
    void recordIfOn(INDArray x, INDArray attn, int b) {
        if (recording) record(x, attn, b);
    }

    private void record(INDArray x, INDArray attn, int b) {
        TransformerBlockLayer c = layerConf();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            recordedInput = x.dup('c');
            recordedAttention = attn.reshape('c', b, c.heads(), c.tokens(), c.tokens()).dup('c');
        }
    }

    /**
     * Per-head queries and keys of this block for token representations entering it (before LN1):
     * q = LN1(x) W_Q^T + b_Q, k likewise. Input [T', D]; returns {q, k}, each [H, T', d], detached.
     */
    public INDArray[] queriesAndKeys(INDArray tokens) {
        TransformerBlockLayer c = layerConf();
        int d = c.dim(), heads = c.heads(), hd = c.headDim(), sd = c.sections() * d;
        if (tokens.rank() != 2 || tokens.size(1) != d)
            throw new IllegalArgumentException(layerId() + ": tokens must be [T', " + d + "], got "
                    + Arrays.toString(tokens.shape()));
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray x = tokens.castTo(dataType).dup('c');
            long n = x.size(0);
            INDArray p;
            if (portable()) {
                p = portableBlock().projectTokens(x);
            } else {
                INDArray y = Nd4j.createUninitialized(dataType, n, d);
                kernels().layerNormForward(x, param("ln1g"), param("ln1b"), ViTLayerConf.LN_EPS, y,
                        new double[(int) n], new double[(int) n]);
                p = Nd4j.createUninitialized(dataType, n, sd);
                linear(y, "qkvW", "qkvb", null, p, 0L);
            }
            int ks = c.keySection() * d;
            INDArray q = p.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup('c');       // [T', D]
            INDArray kk = p.get(NDArrayIndex.all(), NDArrayIndex.interval(ks, ks + d)).dup('c'); // [T', D]
            return new INDArray[]{                                                               // [H, T', d]
                    q.reshape('c', n, heads, hd).permute(1, 0, 2).dup('c'),
                    kk.reshape('c', n, heads, hd).permute(1, 0, 2).dup('c')};
        }
    }
}
