package io.vitlens.data;

import io.vitlens.core.Normalization;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one {@link LoadedDataset} implementation: a {@link RawDataset} in memory, split into
 * TRAIN/VALIDATION by {@link ValidationSplit}, with normalisation statistics of the TRAIN part and
 * iterators that assemble batches on a background thread.
 */
final class InMemoryDataset implements LoadedDataset {
    /** Stream tags, so shuffling and augmentation never share a random stream. */
    private static final long SHUFFLE_STREAM = 0x5EF1L;
    private static final long AUGMENT_STREAM = 0xA06L;
    private static final long ERASING_STREAM = 0xE4A5EL;
    /** Batches built ahead of the trainer. */
    private static final int PREFETCH_DEPTH = 4;

    private final RawDataset raw;
    private final DataConfig cfg;
    private final int[] trainIdx;
    private final int[] valIdx;
    private final int[] testIdx;
    private final float[] mean;
    private final float[] std;

    InMemoryDataset(RawDataset raw, DataConfig cfg) {
        if (raw.imageSize() != cfg.imageSize())
            throw new IllegalArgumentException("data.imageSize: " + cfg.imageSize() + " but " + raw.name()
                    + (cfg.dataDir() == null ? "" : " (" + cfg.dataDir() + ")")
                    + " holds " + raw.imageSize() + "x" + raw.imageSize() + " images");
        this.raw = raw;
        this.cfg = cfg;
        ValidationSplit split = ValidationSplit.stratified(raw.train().labels(), raw.numClasses(),
                cfg.validationFraction(), cfg.seed());
        this.trainIdx = split.train();
        this.valIdx = split.validation();
        if (trainIdx.length == 0)
            throw new IllegalArgumentException("data.validationFraction: " + cfg.validationFraction()
                    + " leaves no training images out of " + raw.train().count());
        this.testIdx = new int[raw.test().count()];
        Arrays.setAll(testIdx, i -> i);
        float[][] stats = ChannelStats.of(raw.train(), trainIdx);
        this.mean = stats[0];
        this.std = stats[1];
    }

    private InMemoryDataset(InMemoryDataset d, float[] mean, float[] std) {
        this.raw = d.raw;
        this.cfg = d.cfg;
        this.trainIdx = d.trainIdx;
        this.valIdx = d.valIdx;
        this.testIdx = d.testIdx;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public LoadedDataset normalisedWith(Normalization model) {
        if (model.mean().length != channels() || model.std().length != channels())
            throw new IllegalArgumentException("the model's normalisation has " + model.mean().length + " channel(s), "
                    + raw.name() + " images have " + channels());
        return new InMemoryDataset(this, model.mean(), model.std());
    }

    @Override public String name() { return raw.name(); }
    @Override public int imageSize() { return raw.imageSize(); }
    @Override public int channels() { return raw.channels(); }
    @Override public List<String> classNames() { return raw.classNames(); }
    @Override public int numClasses() { return raw.numClasses(); }
    @Override public float[] mean() { return mean.clone(); }
    @Override public float[] std() { return std.clone(); }
    @Override public RawDataset raw() { return raw; }

    @Override
    public int size(Split s) {
        return indices(s).length;
    }

    private int[] indices(Split s) {
        return switch (s) {
            case TRAIN -> trainIdx;
            case VALIDATION -> valIdx;
            case TEST -> testIdx;
        };
    }

    private ImageSet images(Split s) {
        return s == Split.TEST ? raw.test() : raw.train();
    }

    @Override
    public DataSetIterator trainIterator(int epoch) {
        return trainIterator(epoch, cfg.augmentation());
    }

    @Override
    public DataSetIterator trainIterator(int epoch, Augmentation aug) {
        java.util.Objects.requireNonNull(aug, "augmentation");
        int[] order = trainIdx.clone();
        Seeds.shuffle(order, Seeds.random(cfg.seed(), SHUFFLE_STREAM, epoch));
        long seed = cfg.seed();
        return iterator(raw.train(), order, aug, batch -> Seeds.random(seed, AUGMENT_STREAM, epoch, batch),
                batch -> Seeds.random(seed, ERASING_STREAM, epoch, batch), "vitlens-train-epoch-" + epoch);
    }

    @Override
    public DataSetIterator evalIterator(Split s, int limit) {
        int[] idx = indices(s);
        if (limit > 0 && limit < idx.length) idx = Arrays.copyOf(idx, limit);
        return evalOver(s, idx);
    }

    @Override
    public DataSetIterator spreadEvalIterator(Split s, int limit) {
        return evalOver(s, evenlySpaced(indices(s), limit));
    }

    private DataSetIterator evalOver(Split s, int[] idx) {
        return iterator(images(s), idx, null, batch -> null, batch -> null, "vitlens-eval-" + s.name().toLowerCase());
    }

    /**
     * {@code limit} indices spread evenly over {@code all} in stored order (all of them when limit is 0 or
     * larger). Not the first {@code limit}: image folders and caches store a split class by class, so the first
     * 1000 CIFAR-10 test images are all airplanes and a partial evaluation on them measured one class.
     */
    static int[] evenlySpaced(int[] all, int limit) {
        if (limit <= 0 || limit >= all.length) return all;
        int[] idx = new int[limit];
        for (int i = 0; i < limit; i++) idx[i] = all[(int) ((long) i * all.length / limit)];
        return idx;
    }

    private interface RandomForBatch {
        java.util.SplittableRandom of(int batch);
    }

    private BatchIterator iterator(ImageSet set, int[] order, Augmentation aug, RandomForBatch rng,
                                   RandomForBatch erasingRng, String thread) {
        int b = cfg.batchSize();
        int numBatches = (order.length + b - 1) / b;
        return new BatchIterator(() -> {
            BatchAssembler asm = new BatchAssembler(set, mean, std, numClasses(), aug);
            return k -> asm.assemble(order, k * b, Math.min(order.length, (k + 1) * b), rng.of(k), erasingRng.of(k));
        }, numBatches, b, set.imageBytes(), numClasses(), classNames(), PREFETCH_DEPTH, thread);
    }

    @Override
    public DataSummary summary() {
        Map<Split, List<Integer>> counts = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<Integer> c = new ArrayList<>();
            for (int n : images(s).classCounts(numClasses(), indices(s))) c.add(n);
            counts.put(s, c);
        }
        return new DataSummary(name(), imageSize(), channels(), classNames(), counts, mean, std, raw.skipped());
    }
}
