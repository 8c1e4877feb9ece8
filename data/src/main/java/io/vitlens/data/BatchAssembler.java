package io.vitlens.data;

import io.vitlens.data.augment.BatchMixer;
import io.vitlens.data.augment.PixelAugmenter;
import io.vitlens.data.augment.RandomErasing;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Turns a list of image indices into one normalised DL4J batch: copy uint8 pixels, augment them (train
 * only), map through a per-channel lookup table (x/255 - mean[c]) / std[c], erase a random rectangle
 * (train only), write one-hot labels, then mixup/cutmix (train only). Not thread-safe (scratch buffers): one instance per producing thread.
 */
final class BatchAssembler {
    private final ImageSet set;
    private final int numClasses;
    private final float[][] lut;            // [C, 256]: normalised value of each byte
    private final PixelAugmenter pixelAug;  // null: no per-image augmentation
    private final RandomErasing eraser;     // null: no random erasing
    private final BatchMixer mixer;         // null: no batch mixing
    private final byte[] image;             // one image, [C, S, S]

    BatchAssembler(ImageSet set, float[] mean, float[] std, int numClasses, Augmentation aug) {
        this.set = set;
        this.numClasses = numClasses;
        this.lut = new float[set.channels()][256];
        for (int c = 0; c < set.channels(); c++)
            for (int v = 0; v < 256; v++) lut[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
        this.pixelAug = aug != null && aug.anyPixelOp() ? new PixelAugmenter(aug, set.channels(), set.size()) : null;
        this.eraser = aug != null && aug.anyErasing() ? new RandomErasing(aug.randomErasing(), set.channels(), set.size()) : null;
        this.mixer = aug != null && aug.anyMix() ? new BatchMixer(aug) : null;
        this.image = new byte[set.imageBytes()];
    }

    /**
     * The batch of images {@code indices[from .. to)}.
     *
     * @param r       augmentation randomness; ignored (may be null) when no augmentation is configured
     * @param erasing random erasing's own stream, so that switching it on changes no other draw; ignored
     *                (may be null) when random erasing is off
     */
    DataSet assemble(int[] indices, int from, int to, SplittableRandom r, SplittableRandom erasing) {
        int b = to - from;
        int c = set.channels(), s = set.size(), len = set.imageBytes(), plane = s * s;
        float[] features = new float[b * len];        // [B, C, S, S]
        float[] labels = new float[b * numClasses];   // [B, K]
        for (int i = 0; i < b; i++) {
            int idx = indices[from + i];
            set.copyImage(idx, image);
            if (pixelAug != null) pixelAug.apply(image, r);
            int base = i * len;
            for (int ch = 0; ch < c; ch++) {
                float[] table = lut[ch];
                int off = ch * plane;
                for (int p = 0; p < plane; p++) features[base + off + p] = table[image[off + p] & 0xFF];
            }
            if (eraser != null) eraser.apply(features, base, erasing);
            labels[i * numClasses + set.label(idx)] = 1f;
        }
        if (mixer != null) mixer.apply(features, labels, b, c, s, numClasses, r);
        return new DataSet(Nd4j.create(features, new long[]{b, c, s, s}, 'c'),
                Nd4j.create(labels, new long[]{b, numClasses}, 'c'));
    }
}
