package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Claim C4 (docs/claims.md): since X_i = patch_i + p_i, dL/dp_i equals dL/dX_i summed over the batch. The
 * token gradient is the epsilon block 0 returns, obtained by running the layers one by one.
 */
class PositionGradientTest {

    @Test
    void positionGradientIsTheBatchSumOfTheTokenGradient() {
        for (PosEmbedding p : new PosEmbedding[]{PosEmbedding.LEARNED, PosEmbedding.LEARNED_2D}) {
            ViTConfig cfg = TestModels.tiny().withPosEmbedding(p);
            ComputationGraph g = ViTGraph.create(cfg, TestModels.doubles(1));
            TestModels.randomize(g, 2);
            int batch = 5;
            INDArray x = TestModels.images(cfg, batch, 3, DataType.DOUBLE);
            INDArray y = TestModels.labels(cfg, batch, 4, DataType.DOUBLE);
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
            INDArray gradPos = p == PosEmbedding.LEARNED ? g.gradient().getGradientFor("patchEmbed_pos").dup() : null;
            INDArray gradRow = p == PosEmbedding.LEARNED_2D ? g.gradient().getGradientFor("patchEmbed_posRow").dup() : null;
            INDArray gradCol = p == PosEmbedding.LEARNED_2D ? g.gradient().getGradientFor("patchEmbed_posCol").dup() : null;

            double[] dx = tokenGradient(g, cfg, x, y); // [B, T, D] flattened
            int t = cfg.numTokens(), d = cfg.dim(), gs = cfg.gridSize();
            double[] sum = new double[t * d];
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < t * d; i++) sum[i] += dx[b * t * d + i];
            if (p == PosEmbedding.LEARNED) {
                for (int tok = 0; tok < t; tok++)
                    for (int j = 0; j < d; j++)
                        assertEquals(sum[tok * d + j], gradPos.getDouble(tok, j), 1e-12, "token " + tok + " channel " + j);
            }
            if (p == PosEmbedding.LEARNED_2D) { // the row table collects its grid row's tokens, the column table its column's
                for (int r = 0; r < gs; r++)
                    for (int j = 0; j < d; j++) {
                        double row = 0, col = 0;
                        for (int c = 0; c < gs; c++) {
                            row += sum[(1 + r * gs + c) * d + j];
                            col += sum[(1 + c * gs + r) * d + j];
                        }
                        assertEquals(row, gradRow.getDouble(r, j), 1e-12);
                        assertEquals(col, gradCol.getDouble(r, j), 1e-12);
                    }
            }
        }
    }

    /** dL/dX for X the tokens entering block 0, [B*T*D], via each layer's backward pass in turn. */
    private static double[] tokenGradient(ComputationGraph g, ViTConfig cfg, INDArray x, INDArray y) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Layer[] chain = new Layer[cfg.depth() + 3];
        chain[0] = g.getLayer(ViTGraph.PATCH_EMBED);
        for (int i = 0; i < cfg.depth(); i++) chain[1 + i] = g.getLayer(ViTGraph.blockName(i));
        chain[cfg.depth() + 1] = g.getLayer(ViTGraph.NORM);
        chain[cfg.depth() + 2] = g.getLayer(ViTGraph.OUTPUT);
        INDArray a = x;
        for (Layer l : chain) a = l.activate(a, true, ws);
        ((IOutputLayer) chain[chain.length - 1]).setLabels(y);
        INDArray eps = null;
        for (int i = chain.length - 1; i >= 1; i--) eps = chain[i].backpropGradient(eps, ws).getSecond();
        return eps.dup('c').data().asDouble(); // the epsilon block 0 returned
    }
}
