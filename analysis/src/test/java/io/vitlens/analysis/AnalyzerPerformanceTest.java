package io.vitlens.analysis;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.inspect.ModelInspector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget of the brief: the tiny config (N 64, L 6, H 4, D 128) over 1000 images in under a minute on 2 cores. */
class AnalyzerPerformanceTest {

    private static final ViTConfig TINY = ViTConfig.of(32, 3, 4, 128, 6, 4, 256, 10);

    @Test
    void tinyConfigOverAThousandImages() {
        AnalysisResult r = analyzeThousandImages();
        assertEquals(1000, r.images());
        assertEquals(24, r.last().heads().size());
        assertTrue(r.last().maxRowSumDeviation() < 1e-5);
    }

    /** Wall clock: excluded from the default suite (a loaded CI machine says nothing about the code); mvn -Ptiming. */
    @Test
    @Tag("timing")
    void tinyConfigOverAThousandImagesTakesUnderAMinute() {
        long start = System.nanoTime();
        analyzeThousandImages();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 60, "analysis took " + seconds + " s");
    }

    private static AnalysisResult analyzeThousandImages() {
        ModelInspector model = new PooledInspector(TINY, 100);
        INDArray images = Nd4j.zeros(DataType.FLOAT, 1000, 3, 32, 32);
        return new Analyzer(AnalysisOptions.defaults())
                .analyze(List.of(new AnalysisInput("epoch-010", 10, model)), images, null, null);
    }

    /** Returns precomputed random traces (softmax attention, random tokens), so the timing is the analysis's own. */
    static final class PooledInspector implements ModelInspector {
        private final ViTConfig cfg;
        private final List<INDArray> attention = new ArrayList<>(), inputs = new ArrayList<>();
        private final INDArray[] wq, wk;
        private final INDArray positions;

        PooledInspector(ViTConfig cfg, int batch) {
            this.cfg = cfg;
            Nd4j.getRandom().setSeed(3);
            int t = cfg.numTokens();
            for (int l = 0; l < cfg.depth(); l++) {
                INDArray logits = Nd4j.randn(DataType.FLOAT, batch, cfg.heads(), t, t);
                INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(logits);
                attention.add(e.divi(e.sum(true, 3)));                   // [B, H, T, T], rows sum to 1
                inputs.add(Nd4j.randn(DataType.FLOAT, batch, t, cfg.dim())); // [B, T, D]
            }
            wq = new INDArray[cfg.depth() * cfg.heads()];
            wk = new INDArray[wq.length];
            for (int i = 0; i < wq.length; i++) {
                wq[i] = Nd4j.randn(DataType.FLOAT, cfg.headDim(), cfg.dim());
                wk[i] = Nd4j.randn(DataType.FLOAT, cfg.headDim(), cfg.dim());
            }
            positions = Nd4j.randn(DataType.FLOAT, cfg.numPatches(), cfg.dim());
        }

        @Override public ViTConfig config() { return cfg; }

        @Override public INDArray patchPositionEmbeddings() { return positions.dup(); }

        @Override public ForwardTrace trace(INDArray images) {
            long b = images.size(0);
            List<INDArray> a = new ArrayList<>(), x = new ArrayList<>();
            for (int l = 0; l < cfg.depth(); l++) {
                a.add(attention.get(l).get(NDArrayIndex.interval(0, b)).dup());
                x.add(inputs.get(l).get(NDArrayIndex.interval(0, b)).dup());
            }
            return new ForwardTrace(x, a, Nd4j.zeros(DataType.FLOAT, b, cfg.numClasses()));
        }

        @Override public INDArray[] queriesAndKeys(int layer, INDArray tokens) {
            long n = tokens.size(0);
            INDArray q = Nd4j.create(DataType.FLOAT, cfg.heads(), n, cfg.headDim());
            INDArray k = Nd4j.create(DataType.FLOAT, cfg.heads(), n, cfg.headDim());
            for (int h = 0; h < cfg.heads(); h++) {
                q.slice(h).assign(tokens.mmul(wq[layer * cfg.heads() + h].transpose()));
                k.slice(h).assign(tokens.mmul(wk[layer * cfg.heads() + h].transpose()));
            }
            return new INDArray[]{q, k};
        }

        @Override public INDArray queryWeight(int layer, int head) { return wq[layer * cfg.heads() + head].dup(); }

        @Override public INDArray keyWeight(int layer, int head) { return wk[layer * cfg.heads() + head].dup(); }
    }
}
