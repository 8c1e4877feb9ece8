package io.vitlens.training.cli;

import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.training.Renormalizer;
import io.vitlens.core.Normalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** The analysis images: the first n images of a split in file order, in the model's normalisation. */
final class AnalysisImages {
    private AnalysisImages() {}

    /** -> [n, C, S, S] */
    static INDArray load(LoadedDataset data, Split split, int n, Normalization model) {
        DataSetIterator it = data.evalIterator(split, n);
        Renormalizer renorm = new Renormalizer(data.mean(), data.std(), model);
        List<INDArray> parts = new ArrayList<>();
        while (it.hasNext()) {
            DataSet b = it.next();
            parts.add(renorm.apply(b.getFeatures()));
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("split " + split + " of " + data.name() + " has no images to analyse");
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
