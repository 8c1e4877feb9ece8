package io.vitlens.training.config;

import io.vitlens.core.ViTConfig;

/**
 * One experiment: a model, a dataset and a training recipe, as read from {@code configs/*.yaml}.
 * The whole tree is stored in every checkpoint, so a run can be rebuilt from any of them.
 */
public final class ExperimentConfig {
    public String name = "experiment";
    public long seed = 42;
    public ModelSection model = new ModelSection();
    public DataSection data = new DataSection();
    public TrainSection train = new TrainSection();

    /** The validated model architecture. */
    public ViTConfig vit() { return model.toConfig(); }

    /** Checks every section; throws {@link ConfigException} naming the first bad key. */
    public ExperimentConfig validate() {
        if (model == null) throw new ConfigException("model: missing section");
        if (data == null) throw new ConfigException("data: missing section");
        if (train == null) throw new ConfigException("train: missing section");
        if (name == null || name.isBlank()) throw new ConfigException("name: must be a non-empty string");
        model.toConfig();
        train.validate();
        DataConfigs.toDataConfig(this);
        return this;
    }
}
