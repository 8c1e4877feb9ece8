package io.vitlens.data;

import io.vitlens.core.Normalization;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/**
 * A dataset decoded into memory, served as normalised mini-batches. Every batch is a DL4J
 * {@code DataSet} with features float32 [B, C, S, S] (NCHW) holding (x/255 - mean[c]) / std[c] and
 * labels float32 [B, K], one-hot (soft when mixup/cutmix mixed the batch; rows still sum to 1).
 * The last batch of an iteration may be smaller than B.
 */
public interface LoadedDataset {
    /** Dataset name, e.g. "cifar10". */
    String name();

    /** Side S of the square images. */
    int imageSize();

    /** Channels C (3 for RGB, 1 for the MNISTs). */
    int channels();

    /** Class names, index = label. */
    List<String> classNames();

    int numClasses();

    /** Per-channel mean of the TRAIN split in [0,1] units, computed once at load. */
    float[] mean();

    /** Per-channel standard deviation of the TRAIN split in [0,1] units, computed once at load. */
    float[] std();

    /** Images in the split. */
    int size(Split s);

    /**
     * Batches of the TRAIN split for one epoch: a permutation drawn from (seed, epoch), augmented, built
     * on a background thread. The same (seed, epoch) gives the same batches, bit for bit, augmentation
     * included; {@code reset()} replays the same epoch.
     */
    DataSetIterator trainIterator(int epoch);

    /**
     * Like {@link #trainIterator(int)} with {@code augmentation} instead of the config's (a schedule that changes
     * it between epochs); the shuffle and every random stream are the same, so with the config's augmentation the
     * batches are the same bits.
     */
    DataSetIterator trainIterator(int epoch, Augmentation augmentation);

    /**
     * Batches of a split in stored order, without shuffling or augmentation.
     *
     * @param limit the first {@code limit} images only; {@code <= 0} means all (the analysis images are these,
     *              docs/claims.md)
     */
    DataSetIterator evalIterator(Split s, int limit);

    /**
     * Like {@link #evalIterator}, but {@code limit} images spread evenly over the split's stored order: the
     * trainer's partial evaluation ({@code train.eval-images}), which on a split stored class by class must
     * not measure the first classes only.
     */
    DataSetIterator spreadEvalIterator(Split s, int limit);

    /** Counts per class per split, geometry, normalisation and skipped files, for the CLI. */
    DataSummary summary();

    /** The decoded source images before the validation carve-out (what {@link DatasetCache} stores). */
    RawDataset raw();

    /**
     * The same images and splits, normalised with {@code model}'s mean and std instead of this dataset's: how a
     * trained model must see them (docs/model-spec.md), computed from the pixels in one step.
     *
     * @throws IllegalArgumentException when {@code model} has another channel count
     */
    LoadedDataset normalisedWith(Normalization model);

    /** The mean/std and class names a checkpoint stores to use the model on raw images later. */
    default Normalization normalization() {
        return new Normalization(mean(), std(), classNames());
    }
}
