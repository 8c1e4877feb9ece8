package io.vitlens.data.augment;

/**
 * The two geometric augmentations of the classic CIFAR recipe, on uint8 images [C, S, S]: a random
 * crop of a zero-padded image (torchvision {@code RandomCrop(S, padding=p)}) and a left-right mirror.
 */
public final class CropFlip {
    private CropFlip() {}

    /**
     * Crops the S x S window at (ox, oy) out of {@code src} padded by {@code pad} zeros on every side:
     * dst[c, y, x] = src[c, y + oy - pad, x + ox - pad], or 0 where that falls in the padding.
     * ox = oy = pad reproduces the image.
     *
     * @param ox window column in the padded image, 0..2*pad
     * @param oy window row in the padded image, 0..2*pad
     */
    public static void crop(byte[] src, byte[] dst, int channels, int size, int pad, int ox, int oy) {
        int dx = ox - pad, dy = oy - pad;   // source = destination + (dx, dy)
        int x0 = Math.max(0, -dx), x1 = Math.min(size, size - dx);   // destination columns with a source pixel
        for (int c = 0; c < channels; c++) {
            int plane = c * size * size;
            for (int y = 0; y < size; y++) {
                int row = plane + y * size;
                int sy = y + dy;
                if (sy < 0 || sy >= size || x0 >= x1) {
                    java.util.Arrays.fill(dst, row, row + size, (byte) 0);
                    continue;
                }
                java.util.Arrays.fill(dst, row, row + x0, (byte) 0);
                System.arraycopy(src, plane + sy * size + x0 + dx, dst, row + x0, x1 - x0);
                java.util.Arrays.fill(dst, row + x1, row + size, (byte) 0);
            }
        }
    }

    /** Mirrors every row in place: x -> S-1-x. */
    public static void flipHorizontal(byte[] img, int channels, int size) {
        for (int row = 0, rows = channels * size; row < rows; row++) {
            int a = row * size, b = a + size - 1;
            while (a < b) {
                byte t = img[a];
                img[a++] = img[b];
                img[b--] = t;
            }
        }
    }
}
