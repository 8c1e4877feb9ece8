package io.vitlens.analysis.examples;

import io.vitlens.analysis.ExampleImage;
import io.vitlens.analysis.ExampleImages;
import io.vitlens.analysis.NdArrays;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.inspect.ForwardTrace;
import io.vitlens.core.inspect.ModelInspector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Traces the example images through one checkpoint (a separate, small forward pass: a handful of
 * images next to the analysis's hundreds) and turns each image's attention into
 * {@link ExampleImageMaps}; also keeps the full patch-to-patch blocks for the interactive page.
 */
public final class ExampleImageAnalyzer {

    /** @param patchAttention [image][L][H][N*N] the patch-to-patch block of each image, row = query patch; or null */
    public record Output(ExampleImages summary, float[][][][] patchAttention) { }

    private ExampleImageAnalyzer() { }

    /**
     * @param images     [n, C, S, S] the normalised analysis images; the first {@code options.count()} are used
     * @param keepBlocks whether to return the full patch-to-patch blocks (null otherwise: they can be large)
     */
    public static Output analyze(ModelInspector model, String checkpoint, INDArray images, ExampleOptions options,
                                 boolean keepBlocks) {
        ViTConfig cfg = model.config();
        int count = (int) Math.min(options.count(), images.size(0));
        int g = cfg.gridSize(), n = cfg.numPatches(), t = cfg.numTokens(), layers = cfg.depth(), heads = cfg.heads();
        int q = options.queryPatch(g);
        int s = cfg.imageSize(), c = cfg.channels();
        INDArray x = images.get(NDArrayIndex.interval(0, count), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c'); // [k, C, S, S]
        ForwardTrace trace = model.trace(x);
        if (trace == null || trace.attention() == null || trace.attention().size() != layers)
            throw new IllegalStateException(checkpoint + " trace(): expected " + layers + " attention maps");
        float[][] att = new float[layers][];
        for (int l = 0; l < layers; l++)
            att[l] = NdArrays.floats(trace.attention().get(l), checkpoint + " trace attention[" + l + "]", count, heads, t, t);
        float[] pixels = NdArrays.floats(x, checkpoint + " example images", count, c, s, s);

        List<ExampleImage> out = new ArrayList<>(count);
        float[][][][] blocks = keepBlocks ? new float[count][layers][heads][n * n] : null;
        for (int i = 0; i < count; i++) {
            double[][][][] a = new double[layers][heads][t][t]; // [L][H][T][T] of image i
            for (int l = 0; l < layers; l++)
                for (int h = 0; h < heads; h++) {
                    int base = (i * heads + h) * t * t;
                    for (int r = 0; r < t; r++)
                        for (int k = 0; k < t; k++) a[l][h][r][k] = att[l][base + r * t + k];
                    if (blocks != null)
                        for (int r = 0; r < n; r++)
                            for (int k = 0; k < n; k++) blocks[i][l][h][r * n + k] = att[l][base + (r + 1) * t + k + 1];
                }
            float[] chw = new float[c * s * s];
            System.arraycopy(pixels, i * chw.length, chw, 0, chw.length);
            out.add(ExampleImageMaps.of(i, a, q, options.fusions(), cfg.pooling(),
                    ExampleImageMaps.displayRgb(chw, c, s)));
        }
        List<String> fusions = options.fusions().stream().map(HeadFusion::id).toList();
        ExampleImages summary = new ExampleImages(checkpoint, q, q / g, q % g, fusions, cfg.pooling().id(), out);
        return new Output(summary, blocks);
    }
}
