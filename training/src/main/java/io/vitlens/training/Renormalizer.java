package io.vitlens.training;

import io.vitlens.core.Normalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Re-expresses features normalised with the dataset's statistics in the model's own normalisation:
 * x = f * s_data + m_data (back to [0,1] units), f' = (x - m_model) / s_model, per channel.
 * A model must always see inputs normalised the way it was trained (docs/model-spec.md).
 */
public final class Renormalizer implements DataSetPreProcessor {
    private final float[] scale;
    private final float[] shift;

    public Renormalizer(float[] dataMean, float[] dataStd, Normalization model) {
        int c = dataMean.length;
        if (model.mean().length != c)
            throw new IllegalArgumentException("model normalisation has " + model.mean().length + " channels, data " + c);
        scale = new float[c];
        shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = dataStd[i] / model.std()[i];
            shift[i] = (dataMean[i] - model.mean()[i]) / model.std()[i];
        }
    }

    /** True when the two normalisations are the same, so nothing needs doing. */
    public boolean isIdentity() {
        for (int i = 0; i < scale.length; i++) if (Math.abs(scale[i] - 1) > 1e-7 || Math.abs(shift[i]) > 1e-7) return false;
        return true;
    }

    @Override
    public void preProcess(DataSet ds) {
        ds.setFeatures(apply(ds.getFeatures()));
    }

    /** features [B, C, S, S] -> a new array in the model's normalisation. */
    public INDArray apply(INDArray features) {
        INDArray out = features.dup('c');
        long b = out.size(0);
        for (int i = 0; i < b; i++)
            for (int c = 0; c < scale.length; c++) {
                INDArray plane = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
                plane.muli(scale[c]).addi(shift[c]);
            }
        return out;
    }
}
