package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.inspect.ModelInspector;
import io.vitlens.core.model.layers.PatchEmbedding;
import io.vitlens.core.model.layers.TransformerBlock;
import io.vitlens.core.model.layers.TransformerBlockLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link ModelInspector} over a {@link ViTGraph}: reads block inputs and attention maps through the
 * blocks' recording switch (off except during {@link #trace}), and weights in timm layout.
 */
public final class ViTInspector implements ModelInspector {

    private final ComputationGraph graph;
    private final ViTConfig cfg;

    public ViTInspector(ComputationGraph graph, ViTConfig cfg) {
        if (graph.getVertex(ViTGraph.PATCH_EMBED) == null || graph.getVertex(ViTGraph.blockName(cfg.depth() - 1)) == null)
            throw new IllegalArgumentException("graph was not built by ViTGraph for " + cfg);
        this.graph = graph;
        this.cfg = cfg;
    }

    @Override
    public ViTConfig config() {
        return cfg;
    }

    @Override
    public INDArray patchPositionEmbeddings() {
        if (cfg.posEmbedding() == PosEmbedding.NONE) return null;
        double[] table = ((PatchEmbedding) graph.getLayer(ViTGraph.PATCH_EMBED)).positionTable();
        long n = cfg.numPatches(), d = cfg.dim();
        double[] patches = Arrays.copyOfRange(table, (int) d, table.length); // drop the CLS row
        return Nd4j.createFromArray(patches).reshape('c', n, d).castTo(graph.params().dataType());
    }

    @Override
    public ForwardTrace trace(INDArray images) {
        long s = cfg.imageSize();
        if (images.rank() != 4 || images.size(1) != cfg.channels() || images.size(2) != s || images.size(3) != s)
            throw new IllegalArgumentException("images: shape " + Arrays.toString(images.shape()) + ", expected [B, "
                    + cfg.channels() + ", " + s + ", " + s + "]");
        List<TransformerBlock> blocks = new ArrayList<>();
        for (int i = 0; i < cfg.depth(); i++) blocks.add(block(i));
        try {
            blocks.forEach(b -> b.setRecording(true));
            Map<String, INDArray> acts = graph.feedForward(images, false);
            List<INDArray> inputs = new ArrayList<>();
            List<INDArray> attention = new ArrayList<>();
            for (TransformerBlock b : blocks) {
                inputs.add(b.recordedInput());
                attention.add(b.recordedAttention());
            }
            Layer head = graph.getLayer(ViTGraph.OUTPUT);
            INDArray logits;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                logits = acts.get(ViTGraph.NORM).mmul(head.getParam("W")).addiRowVector(head.getParam("b")); // [B, K]
            }
            return new ForwardTrace(List.copyOf(inputs), List.copyOf(attention), logits);
        } finally {
            blocks.forEach(b -> b.setRecording(false));
        }
    }

    @Override
    public INDArray[] queriesAndKeys(int layer, INDArray tokens) {
        return block(layer).queriesAndKeys(tokens);
    }

    @Override
    public INDArray queryWeight(int layer, int head) {
        return headRows(layer, head, 0);
    }

    @Override
    public INDArray keyWeight(int layer, int head) {
        TransformerBlockLayer c = (TransformerBlockLayer) block(layer).conf().getLayer();
        return headRows(layer, head, c.keySection());
    }

    /** Rows section*D + head*d .. + d - 1 of the block's fused projection: [d, D]. */
    private INDArray headRows(int layer, int head, int section) {
        if (head < 0 || head >= cfg.heads())
            throw new IllegalArgumentException("head " + head + " outside 0.." + (cfg.heads() - 1));
        long d = cfg.dim(), hd = cfg.headDim();
        long first = section * d + head * hd;
        INDArray w = block(layer).getParam("qkvW").dup('c'); // sub-views of parameter views are unreliable in ND4J
        return w.get(NDArrayIndex.interval(first, first + hd), NDArrayIndex.all()).dup('c');
    }

    private TransformerBlock block(int layer) {
        if (layer < 0 || layer >= cfg.depth())
            throw new IllegalArgumentException("layer " + layer + " outside 0.." + (cfg.depth() - 1));
        return (TransformerBlock) graph.getLayer(ViTGraph.blockName(layer));
    }
}
