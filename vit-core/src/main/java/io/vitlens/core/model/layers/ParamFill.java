package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Buffers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * The timm ViT initialisation scheme, per parameter role: trunc-normal with std 0.02 for weights and
 * embeddings, zeros for biases and LayerNorm shifts, ones for LayerNorm scales.
 *
 * <p>Truncation is at +-2 standard deviations (resampling outside). timm's {@code trunc_normal_} cuts at
 * the absolute values +-2, which for std 0.02 truncates nothing in practice; the project specifies +-2 std.
 */
public final class ParamFill {

    /** timm's std for {@code trunc_normal_} of ViT weights and embeddings. */
    public static final double STD = 0.02;
    /** Truncation, in standard deviations. */
    public static final double CUTOFF = 2.0;

    private ParamFill() {
    }

    /** Fills {@code view} as its role prescribes, drawing from {@code rng} only for random roles. */
    public static void fill(ParamSpec.Role role, INDArray view, SplittableRandom rng) {
        switch (role) {
            case WEIGHT, EMBEDDING -> truncatedNormal(view, STD, rng);
            case BIAS, NORM_BIAS -> view.assign(0);
            case NORM_GAIN -> view.assign(1);
        }
    }

    /** Fills {@code view} with N(0, std^2) samples, each resampled until within +-CUTOFF std. */
    public static void truncatedNormal(INDArray view, double std, SplittableRandom rng) {
        double[] v = new double[Math.toIntExact(view.length())];
        for (int i = 0; i < v.length; i++) {
            double z;
            do {
                z = rng.nextGaussian();
            } while (Math.abs(z) > CUTOFF);
            v[i] = z * std;
        }
        if (Nd4j.getEnvironment().isCPU()) {
            Buffers.fromDoubles(v, view);
        } else { // a host write through the pointer would not reach a device (CUDA) buffer; ND4J's assign does
            view.assign(Nd4j.createFromArray(v).reshape('c', view.shape()).castTo(view.dataType()));
        }
    }
}
