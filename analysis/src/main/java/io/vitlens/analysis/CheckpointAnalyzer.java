package io.vitlens.analysis;

import io.vitlens.analysis.attention.AttentionAccumulator;
import io.vitlens.analysis.attention.TokenMeanAccumulator;
import io.vitlens.analysis.geometry.PatchGrid;
import io.vitlens.analysis.geometry.PositionEmbeddingAnalysis;
import io.vitlens.analysis.geometry.PrincipalAngles;
import io.vitlens.analysis.geometry.QkGeometry;
import io.vitlens.analysis.stats.Correlation;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.inspect.ModelInspector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Measures one checkpoint: position-embedding geometry, then one streaming pass of the analysis
 * images through {@link ModelInspector#trace} (attention statistics and mean block inputs per
 * layer), then the per-head Q/K geometry on the mean block inputs and the W_Q / W_K angles.
 */
final class CheckpointAnalyzer {

    private final AnalysisOptions options;
    private final ProgressListener progress;

    CheckpointAnalyzer(AnalysisOptions options, ProgressListener progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * @param analysis      the numbers of analysis.json
     * @param meanAttention [L][H][N*N] the image-mean patch-to-patch block of each head (for the interactive page)
     */
    record Measured(CheckpointAnalysis analysis, float[][][] meanAttention) { }

    Measured analyze(AnalysisInput input, INDArray images) {
        ModelInspector model = input.model();
        ViTConfig cfg = model.config();
        if (cfg.gridSize() < 2)
            throw new IllegalArgumentException("checkpoint " + input.checkpointName() + ": a " + cfg.gridSize() + "x"
                    + cfg.gridSize() + " patch grid has no spatial structure to analyse; expected at least 2x2");
        PatchGrid grid = new PatchGrid(cfg.gridSize(), cfg.patchSize());
        int n = checkImages(images, cfg, input.checkpointName());
        String name = input.checkpointName();

        PositionEmbeddingStats pos = null;
        String posReason = null;
        INDArray pe = model.patchPositionEmbeddings();
        if (pe == null) {
            posReason = "model has no position embedding (posEmbedding " + cfg.posEmbedding().id() + ")";
        } else {
            progress.update("position embedding " + name, 0, 1);
            double[][] p = NdArrays.matrix(pe, name + " patchPositionEmbeddings()", cfg.numPatches(), cfg.dim());
            pos = new PositionEmbeddingAnalysis(grid).analyze(p, cfg.posEmbedding().id(), options.permutations(),
                    options.permutationSeed());
            progress.update("position embedding " + name, 1, 1);
        }

        int layers = cfg.depth(), heads = cfg.heads(), t = cfg.numTokens();
        AttentionAccumulator[] attention = new AttentionAccumulator[layers];
        TokenMeanAccumulator[] tokens = new TokenMeanAccumulator[layers];
        for (int l = 0; l < layers; l++) {
            attention[l] = new AttentionAccumulator(grid, heads);
            tokens[l] = new TokenMeanAccumulator(t, cfg.dim());
        }
        DataType tokenType = streamImages(model, cfg, images, n, name, attention, tokens);

        QkGeometry qkGeometry = new QkGeometry(grid);
        double uniform = grid.uniformMeanDistancePx();
        List<HeadStats> headStats = new ArrayList<>(layers * heads);
        for (int l = 0; l < layers; l++) {
            progress.update("q/k geometry " + name, l, layers);
            double[][] mean = tokens[l].mean(); // [N][D]
            INDArray[] qk = model.queriesAndKeys(l, NdArrays.create(mean, tokenType));
            if (qk == null || qk.length != 2)
                throw new IllegalStateException(name + " queriesAndKeys(" + l + "): expected {q, k}");
            String what = name + " queriesAndKeys(" + l + ")";
            double[][][] q = NdArrays.cube(qk[0], what + "[0]", heads, cfg.numPatches(), cfg.headDim()); // [H][N][d]
            double[][][] k = NdArrays.cube(qk[1], what + "[1]", heads, cfg.numPatches(), cfg.headDim()); // [H][N][d]
            for (int h = 0; h < heads; h++) {
                QkGeometry.Result g = qkGeometry.analyze(q[h], k[h]);
                double[] angles = PrincipalAngles.degrees(
                        NdArrays.matrix(model.queryWeight(l, h), name + " queryWeight(" + l + ", " + h + ")", cfg.headDim(), cfg.dim()),
                        NdArrays.matrix(model.keyWeight(l, h), name + " keyWeight(" + l + ", " + h + ")", cfg.headDim(), cfg.dim()));
                AttentionAccumulator.HeadSummary a = attention[l].summary(h);
                String type = options.headTypes().classify(a.localMass(), a.rowMass(), a.columnMass(), a.clsMass(),
                        a.meanDistancePx(), a.entropy(), a.positionalShare(), uniform, t);
                headStats.add(new HeadStats(l, h, a.meanDistancePx(), a.entropy(), a.localMass(), a.rowMass(),
                        a.columnMass(), a.clsMass(), a.positionalShare(), a.asymmetry(), g.rho(), g.slope(),
                        byOffset(grid, g.cosineAtOffset()), angles, mean(angles),
                        byOffset(grid, a.attentionAtOffset()), type));
            }
        }
        progress.update("q/k geometry " + name, layers, layers);
        float[][][] maps = new float[layers][heads][]; // [L][H][N*N]
        for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++) {
                double[] m = attention[l].meanPatchMap(h);
                maps[l][h] = new float[m.length];
                for (int e = 0; e < m.length; e++) maps[l][h][e] = (float) m[e];
            }
        return new Measured(assemble(input, n, pos, posReason, headStats, attention), maps);
    }

    private static int checkImages(INDArray images, ViTConfig cfg, String name) {
        if (images == null) throw new IllegalArgumentException("analysis images: missing");
        long[] s = images.shape();
        if (s.length != 4 || s[0] < 1 || s[1] != cfg.channels() || s[2] != cfg.imageSize() || s[3] != cfg.imageSize())
            throw new IllegalArgumentException("analysis images: shape " + java.util.Arrays.toString(s)
                    + ", expected [n >= 1, " + cfg.channels() + ", " + cfg.imageSize() + ", " + cfg.imageSize()
                    + "] for checkpoint " + name);
        return (int) s[0];
    }

    /** One pass over the images; returns the data type of the block inputs (to feed queriesAndKeys alike). */
    private DataType streamImages(ModelInspector model, ViTConfig cfg, INDArray images, int n, String name,
                                  AttentionAccumulator[] attention, TokenMeanAccumulator[] tokens) {
        int layers = cfg.depth(), heads = cfg.heads(), t = cfg.numTokens();
        long perImage = (long) layers * heads * t * t;
        int batch = (int) Math.max(1, Math.min(options.batchSize(), options.maxAttentionValuesPerBatch() / perImage));
        DataType type = DataType.FLOAT;
        progress.update("attention " + name, 0, n);
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            INDArray x = images.get(NDArrayIndex.interval(start, start + b), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c'); // [b, C, S, S]
            ForwardTrace trace = model.trace(x);
            if (trace == null || trace.attention() == null || trace.attention().size() != layers
                    || trace.blockInputs() == null || trace.blockInputs().size() != layers)
                throw new IllegalStateException(name + " trace(): expected " + layers + " attention maps and block inputs");
            float[][] att = new float[layers][];
            float[][] in = new float[layers][];
            for (int l = 0; l < layers; l++) {
                att[l] = NdArrays.floats(trace.attention().get(l), name + " trace attention[" + l + "]", b, heads, t, t);
                in[l] = NdArrays.floats(trace.blockInputs().get(l), name + " trace blockInputs[" + l + "]", b, t, cfg.dim());
            }
            type = trace.blockInputs().get(0).dataType();
            IntStream.range(0, layers).parallel().forEach(l -> {
                attention[l].add(att[l], b);
                tokens[l].add(in[l], b);
            });
            progress.update("attention " + name, start + b, n);
        }
        return type;
    }

    private static CheckpointAnalysis assemble(AnalysisInput input, int images, PositionEmbeddingStats pos,
                                               String posReason, List<HeadStats> heads,
                                               AttentionAccumulator[] attention) {
        int layers = attention.length;
        List<LayerSummary> summaries = new ArrayList<>(layers);
        double maxDeviation = 0;
        for (int l = 0; l < layers; l++) {
            final int layer = l;
            List<HeadStats> hs = heads.stream().filter(h -> h.layer() == layer).toList();
            double[] dist = hs.stream().mapToDouble(HeadStats::meanAttentionDistancePx).toArray();
            Map<String, Integer> types = new TreeMap<>();
            hs.forEach(h -> types.merge(h.type(), 1, Integer::sum));
            double m = mean(dist), var = 0;
            for (double d : dist) var += (d - m) * (d - m);
            summaries.add(new LayerSummary(l, m, min(dist), max(dist), Math.sqrt(var / dist.length),
                    mean(hs.stream().mapToDouble(HeadStats::entropy).toArray()),
                    mean(hs.stream().mapToDouble(HeadStats::qkCosineRho).toArray()),
                    mean(hs.stream().mapToDouble(HeadStats::qkPrincipalAngleMeanDeg).toArray()),
                    mean(hs.stream().mapToDouble(HeadStats::asymmetry).toArray()),
                    attention[l].maxRowSumDeviation(), types));
            maxDeviation = Math.max(maxDeviation, attention[l].maxRowSumDeviation());
        }
        double depthRho = Double.NaN;
        if (layers > 1) {
            double[] layer = heads.stream().mapToDouble(HeadStats::layer).toArray();
            double[] dist = heads.stream().mapToDouble(HeadStats::meanAttentionDistancePx).toArray();
            depthRho = Correlation.spearman(layer, dist);
        }
        return new CheckpointAnalysis(input.checkpointName(), input.epoch(), images, pos, posReason, heads, summaries,
                maxDeviation, mean(heads.stream().mapToDouble(HeadStats::asymmetry).toArray()),
                mean(heads.stream().mapToDouble(HeadStats::qkPrincipalAngleMeanDeg).toArray()), depthRho);
    }

    /** {"dr,dc": value} in table order (dr ascending, then dc). */
    private static Map<String, Double> byOffset(PatchGrid grid, double[] table) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int o = 0; o < table.length; o++) m.put(grid.offsetKey(o), table[o]);
        return m;
    }

    static double mean(double[] v) {
        if (v.length == 0) return Double.NaN;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) m = Math.min(m, x);
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }
}
