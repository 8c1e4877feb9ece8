package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Buffers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Where each pixel of an image [C, S, S] goes in the image's patch rows [N, C*P*P] (patches row-major over
 * the g x g grid, each row in timm's weight order C, P, P). Both have C*S*S elements, so this is a
 * permutation, applied per image with bulk copies; it replaces a rank-6 ND4J permute + assign that took
 * 2-37 ms per batch of 128 (measured on this machine) against well under 1 ms here.
 */
final class PatchLayout {

    /** toPatches[pixel] = index of that pixel in the image's patch rows. */
    private final int[] toPatches;

    PatchLayout(int channels, int imageSize, int patchSize) {
        int g = imageSize / patchSize, len = channels * patchSize * patchSize;
        toPatches = new int[channels * imageSize * imageSize];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < imageSize; y++)
                for (int x = 0; x < imageSize; x++) {
                    int patch = (y / patchSize) * g + x / patchSize;
                    int within = c * patchSize * patchSize + (y % patchSize) * patchSize + x % patchSize;
                    toPatches[(c * imageSize + y) * imageSize + x] = patch * len + within;
                }
    }

    /** images [B, C, S, S] -> cols [B*N, C*P*P]; both dense, of one type. */
    void toPatches(INDArray images, INDArray cols, long batch) {
        permute(images, cols, batch, true);
    }

    /** The inverse: cols [B*N, C*P*P] -> images [B, C, S, S]. */
    void toImages(INDArray cols, INDArray images, long batch) {
        permute(cols, images, batch, false);
    }

    private void permute(INDArray from, INDArray to, long batch, boolean forward) {
        int l = toPatches.length;
        if (from.length() != batch * l || to.length() != batch * l)
            throw new IllegalArgumentException("patch layout: expected " + batch + " x " + l + " elements, got "
                    + from.length() + " and " + to.length());
        if (from.dataType() == DataType.FLOAT) {
            FloatBuffer src = Buffers.floats(from), dst = Buffers.floats(to);
            float[] in = new float[l], out = new float[l];
            for (int i = 0; i < batch; i++) {
                src.get(i * l, in);
                if (forward) for (int k = 0; k < l; k++) out[toPatches[k]] = in[k];
                else for (int k = 0; k < l; k++) out[k] = in[toPatches[k]];
                dst.put(i * l, out);
            }
        } else {
            DoubleBuffer src = Buffers.doubles(from), dst = Buffers.doubles(to);
            double[] in = new double[l], out = new double[l];
            for (int i = 0; i < batch; i++) {
                src.get(i * l, in);
                if (forward) for (int k = 0; k < l; k++) out[toPatches[k]] = in[k];
                else for (int k = 0; k < l; k++) out[k] = in[toPatches[k]];
                dst.put(i * l, out);
            }
        }
    }
}
