package io.vitlens.training.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vitlens.core.InvalidFieldException;
import io.vitlens.core.ViTConfig;
import io.vitlens.data.DataConfig;
import io.vitlens.data.Datasets;
import io.vitlens.data.LoadedDataset;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One experiment: a model, a dataset and a training recipe, as read from {@code configs/*.yaml}. Immutable, and
 * validated when it is made: the sections check themselves, and this class checks what spans them while it builds
 * the {@link DataConfig} (the data section with the model's image size and the seed), once. The whole tree is
 * stored in every checkpoint, so a run can be rebuilt from any of them.
 */
@JsonPropertyOrder({"name", "seed", "model", "data", "train"})
public final class ExperimentConfig {
    public static final String DEFAULT_NAME = "experiment";
    public static final long DEFAULT_SEED = 42;

    private final String name;
    private final long seed;
    private final ModelSection model;
    private final DataSection data;
    private final TrainSection train;
    private final DataConfig dataConfig;

    public ExperimentConfig(String name, long seed, ModelSection model, DataSection data, TrainSection train) {
        if (model == null) throw new ConfigException("model: missing section");
        if (data == null) throw new ConfigException("data: missing section");
        if (train == null) throw new ConfigException("train: missing section");
        if (name == null || name.isBlank()) throw new ConfigException("name: must be a non-empty string");
        this.name = name;
        this.seed = seed;
        this.model = model;
        this.data = data;
        this.train = train;
        this.dataConfig = dataConfig(seed, model, data);
        if (data.finalAugmentationEpochs() > train.epochs())
            throw new ConfigException("data.final-augmentation-epochs: " + data.finalAugmentationEpochs()
                    + " is more than train.epochs (" + train.epochs() + ")");
    }

    /**
     * Jackson's entry point: {@code name} and {@code seed} may be left out. A section left out binds as its defaults
     * here, so that the keys of the sections that are there are checked first; {@link ConfigLoader} then refuses the
     * config for the missing section ({@code ~} for any of them is refused before binding, by {@link ConfigShape}).
     */
    @JsonCreator
    static ExperimentConfig bind(@JsonProperty("name") String name, @JsonProperty("seed") Long seed,
                                 @JsonProperty("model") ModelSection model, @JsonProperty("data") DataSection data,
                                 @JsonProperty("train") TrainSection train) {
        return new ExperimentConfig(name == null ? DEFAULT_NAME : name, seed == null ? DEFAULT_SEED : seed,
                model == null ? ModelSection.DEFAULTS : model, data == null ? DataSection.DEFAULTS : data,
                train == null ? TrainSection.DEFAULTS : train);
    }

    /** Every section at its defaults: the tiny ViT on the synthetic set with the parity recipe. */
    public static ExperimentConfig defaults() {
        return new ExperimentConfig(DEFAULT_NAME, DEFAULT_SEED, ModelSection.DEFAULTS, DataSection.DEFAULTS, TrainSection.DEFAULTS);
    }

    @JsonProperty("name") public String name() { return name; }
    @JsonProperty("seed") public long seed() { return seed; }
    @JsonProperty("model") public ModelSection model() { return model; }
    @JsonProperty("data") public DataSection data() { return data; }
    @JsonProperty("train") public TrainSection train() { return train; }

    /** The validated model architecture. */
    public ViTConfig vit() { return model.vit(); }

    /** What the data module loads: the data section with {@code model.image-size} and {@code seed}. */
    public DataConfig dataConfig() { return dataConfig; }

    /** The training augmentation of epoch {@code epoch} (1-based): data.final-augmentation in the last epochs. */
    public io.vitlens.data.Augmentation augmentationAt(int epoch) {
        return data.augmentationAt(epoch, train.epochs());
    }

    /** Loads the data this config names and checks that it fits the model. */
    public LoadedDataset openData() throws java.io.IOException {
        LoadedDataset loaded = Datasets.open(dataConfig);
        checkCompatible(loaded);
        return loaded;
    }

    /** The dataset must match the model's input: channels and class count. */
    private void checkCompatible(LoadedDataset loaded) {
        if (loaded.channels() != model.channels())
            throw new ConfigException("model.channels: " + model.channels() + " but dataset " + loaded.name()
                    + " has " + loaded.channels() + " channel(s)");
        if (loaded.numClasses() != model.numClasses())
            throw new ConfigException("model.num-classes: " + model.numClasses() + " but dataset " + loaded.name()
                    + " has " + loaded.numClasses() + " classes");
    }

    /** {@link DataConfig} names its fields as the data module sees them; a YAML user knows image size and seed elsewhere. */
    private static DataConfig dataConfig(long seed, ModelSection model, DataSection d) {
        try {
            return new DataConfig(d.dataset(), d.dataDir() == null ? null : Path.of(d.dataDir()), model.imageSize(),
                    d.batchSize(), d.validationFraction(), seed, d.augmentation(), d.synthetic(), d.skipBadFiles());
        } catch (InvalidFieldException e) {
            throw new ConfigException(e.message(ExperimentConfig::yamlKeyOfDataConfig), e);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException("data.data-dir: '" + d.dataDir() + "' is not a path: " + e.getReason(), e);
        } catch (IllegalArgumentException e) {   // e.g. an unknown dataset id; the message names data.dataset
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static String yamlKeyOfDataConfig(String component) {
        return switch (component) {
            case "imageSize" -> YamlKeys.of("model", component);
            case "seed" -> YamlKeys.of("", component);
            default -> YamlKeys.of("data", component);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExperimentConfig c && name.equals(c.name) && seed == c.seed && model.equals(c.model)
                && data.equals(c.data) && train.equals(c.train);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, seed, model, data, train);
    }

    @Override
    public String toString() {
        return ConfigLoader.toYaml(this);
    }
}
