package io.vitlens.data;

import java.util.Arrays;

/**
 * Decoded images held as bytes: {@code pixels} is uint8 [n, C, S, S] (channel planes, row-major, the
 * CIFAR binary layout), {@code labels} is [n] with values in 0..K-1. Bytes, not floats: a quarter of the
 * memory, and normalisation is cheap to redo per batch. Instances are shared read-only between the
 * loader threads; nothing mutates {@code pixels} after construction.
 */
public final class ImageSet {
    private final byte[] pixels;   // [n, C, S, S]
    private final int[] labels;    // [n]
    private final int channels;
    private final int size;

    public ImageSet(byte[] pixels, int[] labels, int channels, int size) {
        if (channels < 1 || size < 1)
            throw new IllegalArgumentException("image set: channels " + channels + " and size " + size + " must be >= 1");
        long per = (long) channels * size * size;
        if (pixels.length != per * labels.length)
            throw new IllegalArgumentException("image set: " + pixels.length + " pixel bytes for " + labels.length
                    + " images of " + channels + "x" + size + "x" + size + ", expected " + per * labels.length);
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.size = size;
    }

    public static ImageSet empty(int channels, int size) {
        return new ImageSet(new byte[0], new int[0], channels, size);
    }

    public int count() { return labels.length; }
    public int channels() { return channels; }
    public int size() { return size; }

    /** Bytes per image, C*S*S. */
    public int imageBytes() { return channels * size * size; }

    public int label(int i) { return labels[i]; }

    /** The backing uint8 [n, C, S, S] array; callers must not modify it. */
    public byte[] pixels() { return pixels; }

    /** The backing label array; callers must not modify it. */
    public int[] labels() { return labels; }

    /** Offset of image {@code i} in {@link #pixels()}. */
    public int offset(int i) { return i * imageBytes(); }

    /** Copies image {@code i} into {@code dst[0 .. C*S*S)}. */
    public void copyImage(int i, byte[] dst) {
        System.arraycopy(pixels, offset(i), dst, 0, imageBytes());
    }

    /** Unsigned value of channel {@code c}, row {@code y}, column {@code x} of image {@code i}. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[offset(i) + (c * size + y) * size + x] & 0xFF;
    }

    /** Images per class, length {@code numClasses}. */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /** Images per class over the given indices only. */
    public int[] classCounts(int numClasses, int[] indices) {
        int[] counts = new int[numClasses];
        for (int i : indices) counts[labels[i]]++;
        return counts;
    }

    /** @throws IllegalArgumentException naming {@code source} when a label is outside 0..numClasses-1 */
    public void checkLabels(int numClasses, String source) {
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException(source + ": image " + i + " has label " + labels[i]
                        + ", expected 0.." + (numClasses - 1));
    }

    @Override
    public String toString() {
        return "ImageSet[n=" + count() + ", C=" + channels + ", S=" + size + "]";
    }

    /** Content equality, for tests and cache round trips. */
    public boolean sameContent(ImageSet o) {
        return channels == o.channels && size == o.size && Arrays.equals(labels, o.labels) && Arrays.equals(pixels, o.pixels);
    }
}
