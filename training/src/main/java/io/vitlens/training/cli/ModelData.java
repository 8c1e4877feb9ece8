package io.vitlens.training.cli;

import io.vitlens.core.ViTConfig;
import io.vitlens.data.Augmentation;
import io.vitlens.data.DataConfig;
import io.vitlens.data.Datasets;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.weights.LoadedModel;

import java.io.IOException;
import java.util.Locale;

/** Opens the data a command runs a model on: the flags first, else the checkpoint's own data section. */
final class ModelData {
    private ModelData() {}

    static LoadedDataset open(LoadedModel model, ExperimentConfig stored, CommonOptions.DataOptions flags, int batchSize)
            throws IOException {
        return open(model, stored, null, flags, batchSize);
    }

    /**
     * @param stored        the checkpoint's experiment config, or null (a weights file, or a stored config that no
     *                      longer binds)
     * @param storedProblem why a checkpoint's stored config could not be used, or null
     */
    static LoadedDataset open(LoadedModel model, ExperimentConfig stored, String storedProblem,
                              CommonOptions.DataOptions flags, int batchSize) throws IOException {
        return open(model.vit(), stored, storedProblem, flags, batchSize);
    }

    /** The same for a model known by its architecture only (before its weights are loaded). */
    static LoadedDataset open(ViTConfig vit, ExperimentConfig stored, String storedProblem,
                              CommonOptions.DataOptions flags, int batchSize) throws IOException {
        String dataset = flags.dataset != null ? flags.dataset : stored != null ? stored.data().dataset() : null;
        if (dataset == null)
            throw new IllegalArgumentException("--dataset: missing (" + (storedProblem != null
                    ? "the checkpoint's stored data section cannot be used: " + storedProblem
                    : "a weights file does not say which data it was trained on") + ")");
        java.nio.file.Path dir = flags.dataDir;
        if (dir == null && stored != null && flags.dataset == null && stored.data().dataDir() != null)
            dir = java.nio.file.Path.of(stored.data().dataDir());
        DataConfig base = stored != null ? stored.dataConfig() : null;
        DataConfig cfg = new DataConfig(dataset, dir, vit.imageSize(), batchSize, 0.0,
                base == null ? 0 : base.seed(), Augmentation.none(),
                base == null || !dataset.equals(base.dataset()) ? null : base.synthetic(), false);
        LoadedDataset data = Datasets.open(cfg);
        if (data.channels() != vit.channels())
            throw new IllegalArgumentException("--dataset " + dataset + ": images have " + data.channels()
                    + " channel(s) but the model expects " + vit.channels());
        if (data.numClasses() != vit.numClasses())
            throw new IllegalArgumentException("--dataset " + dataset + ": " + data.numClasses()
                    + " classes but the model has " + vit.numClasses());
        return data;
    }

    static Split split(String s) {
        try {
            return Split.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--split: '" + s + "' is not one of train, validation, test");
        }
    }
}
