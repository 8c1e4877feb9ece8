package io.vitlens.data;

import java.util.List;

/**
 * A dataset as its source holds it, before the validation carve-out: the training pool and the test
 * set in source order (sorted file order for image folders). This is what readers produce and what
 * {@link DatasetCache} stores, so a cache is independent of the seed and validation fraction.
 *
 * @param name       dataset name reported to users (e.g. "cifar10", "image-folder:pets")
 * @param classNames K names, index = label
 * @param train      the training pool, uint8 [n_train, C, S, S]
 * @param test       the test set, same C and S (may be empty)
 * @param skipped    files or records skipped as unreadable under {@code skipBadFiles}
 */
public record RawDataset(String name, List<String> classNames, ImageSet train, ImageSet test, int skipped) {
    public RawDataset {
        classNames = List.copyOf(classNames);
        if (classNames.isEmpty())
            throw new IllegalArgumentException(name + ": no classes");
        if (train.count() == 0)
            throw new IllegalArgumentException(name + ": the training set is empty");
        if (train.channels() != test.channels() || train.size() != test.size())
            throw new IllegalArgumentException(name + ": train images are " + train.channels() + "x" + train.size() + "x"
                    + train.size() + " but test images are " + test.channels() + "x" + test.size() + "x" + test.size());
        train.checkLabels(classNames.size(), name + " train");
        test.checkLabels(classNames.size(), name + " test");
    }

    public int channels() { return train.channels(); }
    public int imageSize() { return train.size(); }
    public int numClasses() { return classNames.size(); }
}
