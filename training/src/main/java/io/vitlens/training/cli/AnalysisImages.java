package io.vitlens.training.cli;

import io.vitlens.analysis.job.AnalysisImageLoader;
import io.vitlens.analysis.job.CheckpointFileSource;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.core.Normalization;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** The analysis images: the first n images of a split in file order, in the model's normalisation. */
final class AnalysisImages {
    private AnalysisImages() {}

    /**
     * For {@link io.vitlens.analysis.job.AnalysisJob}: the data the flags name, else the last checkpoint's own data
     * section (its stored experiment config, bound as the trainer binds it).
     */
    static AnalysisImageLoader loader(CommonOptions.DataOptions data) {
        return (last, n) -> {
            ExperimentConfig stored = last instanceof CheckpointFileSource f
                    ? ConfigLoader.bind(f.header().meta().get("config"), f.file() + " (stored config)") : null;
            LoadedDataset ds = ModelData.open(last.config(), stored, null, data, 250);
            return load(ds, ModelData.split(data.split), n, last.normalization());
        };
    }

    /** -> [n, C, S, S] */
    static INDArray load(LoadedDataset data, Split split, int n, Normalization model) {
        DataSetIterator it = data.normalisedWith(model).evalIterator(split, n);
        List<INDArray> parts = new ArrayList<>();
        while (it.hasNext()) {
            DataSet b = it.next();
            parts.add(b.getFeatures());
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("split " + split + " of " + data.name() + " has no images to analyse");
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
