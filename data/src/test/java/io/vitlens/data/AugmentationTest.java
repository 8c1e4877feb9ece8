package io.vitlens.data;

import io.vitlens.data.augment.BatchMixer;
import io.vitlens.data.augment.BetaSampler;
import io.vitlens.data.augment.CropFlip;
import io.vitlens.data.augment.PixelAugmenter;
import io.vitlens.data.augment.PixelOps;
import io.vitlens.data.augment.RandAugmentOp;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AugmentationTest {
    /** 2 channels of 4x4: channel c, row y, column x holds 100c + 10y + x + 1 (never 0). */
    private static byte[] image() {
        byte[] img = new byte[2 * 16];
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++) img[c * 16 + y * 4 + x] = (byte) (100 * c + 10 * y + x + 1);
        return img;
    }

    private static int at(byte[] img, int c, int y, int x) {
        return img[c * 16 + y * 4 + x] & 0xFF;
    }

    @Test
    void cropAtTheCentreIsIdentityAndAtTheCornerShiftsInZeros() {
        byte[] src = image(), dst = new byte[32];
        CropFlip.crop(src, dst, 2, 4, 2, 2, 2);
        assertArrayEquals(src, dst);
        // window at (0, 0) of the 2-padded image: dst(y, x) = src(y - 2, x - 2)
        CropFlip.crop(src, dst, 2, 4, 2, 0, 0);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++) {
                    int expect = y >= 2 && x >= 2 ? 100 * c + 10 * (y - 2) + (x - 2) + 1 : 0;
                    assertEquals(expect, at(dst, c, y, x), "c" + c + " y" + y + " x" + x);
                }
        // window at (3, 1): dst(y, x) = src(y - 1, x + 1)
        CropFlip.crop(src, dst, 2, 4, 2, 3, 1);
        assertEquals(0, at(dst, 0, 0, 0));          // row -1: padding
        assertEquals(2, at(dst, 0, 1, 0));          // src(0, 1)
        assertEquals(124, at(dst, 1, 3, 2));        // src(2, 3) of channel 1: 100 + 20 + 3 + 1
        assertEquals(0, at(dst, 1, 3, 3));          // column 4: padding
    }

    @Test
    void cropWithPaddingLargerThanTheImageIsAllZeros() {
        byte[] dst = new byte[32];
        CropFlip.crop(image(), dst, 2, 4, 5, 0, 0);
        assertArrayEquals(new byte[32], dst);
    }

    @Test
    void flipMirrorsEachRow() {
        byte[] img = image();
        CropFlip.flipHorizontal(img, 2, 4);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++) assertEquals(100 * c + 10 * y + (3 - x) + 1, at(img, c, y, x));
    }

    @Test
    void photometricOpsMatchTheirPilDefinitions() {
        byte[] v = {0, 50, (byte) 127, (byte) 128, (byte) 200, (byte) 255};
        byte[] p = v.clone();
        PixelOps.posterize(p, 2);   // keep the top 2 bits
        assertArrayEquals(new byte[]{0, 0, 64, (byte) 128, (byte) 192, (byte) 192}, p);
        byte[] s = v.clone();
        PixelOps.solarize(s, 128);  // invert >= 128
        assertArrayEquals(new byte[]{0, 50, (byte) 127, (byte) 127, 55, 0}, s);
        byte[] a = v.clone();
        PixelOps.solarizeAdd(a, 100);
        assertArrayEquals(new byte[]{100, (byte) 150, (byte) 227, (byte) 128, (byte) 200, (byte) 255}, a);
        byte[] b = v.clone();
        PixelOps.brightness(b, 0.5);
        assertArrayEquals(new byte[]{0, 25, 64, 64, 100, (byte) 128}, b);   // round(63.5)=64, round(127.5)=128
        byte[] i = v.clone();
        PixelOps.invert(i);
        assertArrayEquals(new byte[]{(byte) 255, (byte) 205, (byte) 128, (byte) 127, 55, 0}, i);
    }

    @Test
    void autoContrastStretchesEachChannelToFullRange() {
        byte[] img = {10, 20, 30, 60, /* channel 1, constant: untouched */ 7, 7, 7, 7};
        PixelOps.autoContrast(img, 2, 2);
        assertArrayEquals(new byte[]{0, 51, 102, (byte) 255, 7, 7, 7, 7}, img);   // (v - 10) * 255 / 50
    }

    @Test
    void equalizeFollowsPilLookupTable() {
        // one channel, 4x4: values 0 (x8), 100 (x4), 200 (x4). PIL: step = (16 - 4) / 255 = 0 -> unchanged
        byte[] img = new byte[16];
        for (int k = 8; k < 12; k++) img[k] = 100;
        for (int k = 12; k < 16; k++) img[k] = (byte) 200;
        byte[] copy = img.clone();
        PixelOps.equalize(img, 1, 4);
        assertArrayEquals(copy, img);
        // 32x32 = 1024 pixels: 512 zeros, 256 x 100, 256 x 200 -> step = (1024 - 256) / 255 = 3,
        // lut[0] = (1) / 3 = 0, lut[100] = (1 + 512) / 3 = 171, lut[200] = (1 + 768) / 3 = 256 -> 255
        byte[] big = new byte[1024];
        for (int k = 512; k < 768; k++) big[k] = 100;
        for (int k = 768; k < 1024; k++) big[k] = (byte) 200;
        PixelOps.equalize(big, 1, 32);
        assertEquals(0, big[0] & 0xFF);
        assertEquals(171, big[600] & 0xFF);
        assertEquals(255, big[900] & 0xFF);
    }

    @Test
    void translateByWholePixelsShiftsAndFillsGrey() {
        byte[] img = image();
        PixelAugmenter aug = new PixelAugmenter(Augmentation.none(), 2, 4);
        // level 1 translate = 0.45 * 4 = 1.8 px: use a level giving exactly 1 px: 1 / (0.45 * 4)
        aug.apply(RandAugmentOp.TRANSLATE_X, 1 / (0.45 * 4), 1, img);
        // destination x samples source x + 1
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 3; x++) assertEquals(100 * c + 10 * y + x + 2, at(img, c, y, x));
                assertEquals(128, at(img, c, y, 3));
            }
    }

    @Test
    void zeroMagnitudeGeometricOpsAreIdentity() {
        PixelAugmenter aug = new PixelAugmenter(Augmentation.none(), 2, 4);
        for (RandAugmentOp op : new RandAugmentOp[]{RandAugmentOp.ROTATE, RandAugmentOp.SHEAR_X, RandAugmentOp.SHEAR_Y,
                RandAugmentOp.TRANSLATE_Y, RandAugmentOp.BRIGHTNESS, RandAugmentOp.CONTRAST, RandAugmentOp.COLOR,
                RandAugmentOp.SHARPNESS, RandAugmentOp.POSTERIZE, RandAugmentOp.SOLARIZE_ADD}) {
            byte[] img = image();
            aug.apply(op, 0, 1, img);
            assertArrayEquals(image(), img, op.name());
        }
    }

    @Test
    void mixupBlendsPartnersAndLabelsSumToOne() {
        // B = 3, one value per image; partner of 0 is 2, image 1 is its own partner
        float[] x = {1, 5, 9};
        float[] y = {1, 0, 0, 0, 1, 0, 0, 0, 1};   // labels 0, 1, 2
        BatchMixer.mixup(x, y, 3, 1, 3, 0.75);
        assertArrayEquals(new float[]{0.75f * 1 + 0.25f * 9, 5, 0.75f * 9 + 0.25f * 1}, x, 1e-6f);
        assertArrayEquals(new float[]{0.75f, 0, 0.25f, 0, 1, 0, 0.25f, 0, 0.75f}, y, 1e-6f);
    }

    @Test
    void cutmixSwapsTheBoxAndWeighsLabelsByArea() {
        // B = 2, C = 1, S = 4: image 0 all 1s, image 1 all 2s; box rows 1..2, cols 0..1 (4 of 16 pixels)
        float[] x = new float[32];
        java.util.Arrays.fill(x, 0, 16, 1f);
        java.util.Arrays.fill(x, 16, 32, 2f);
        float[] y = {1, 0, 0, 1};
        BatchMixer.cutmix(x, y, 2, 1, 4, 2, 0, 1, 2, 3, 0.75);
        for (int yy = 0; yy < 4; yy++)
            for (int xx = 0; xx < 4; xx++) {
                boolean box = yy >= 1 && yy < 3 && xx < 2;
                assertEquals(box ? 2f : 1f, x[yy * 4 + xx]);
                assertEquals(box ? 1f : 2f, x[16 + yy * 4 + xx]);
            }
        assertArrayEquals(new float[]{0.75f, 0.25f, 0.25f, 0.75f}, y, 1e-6f);
    }

    @Test
    void mixerLambdaOfCutmixIsTheKeptAreaAndLabelsStayNormalised() {
        Augmentation aug = new Augmentation(0, false, false, 2, 9, 0, 1.0, 1.0);
        BatchMixer mixer = new BatchMixer(aug);
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            int b = 4, c = 1, s = 8, k = 3;
            float[] x = new float[b * s * s];
            for (int i = 0; i < b; i++) java.util.Arrays.fill(x, i * 64, (i + 1) * 64, i);
            float[] y = new float[b * k];
            for (int i = 0; i < b; i++) y[i * k + i % k] = 1;
            BatchMixer.Result res = mixer.apply(x, y, b, c, s, k, r);
            assertEquals(BatchMixer.Kind.CUTMIX, res.kind());
            int own = 0;
            for (int p = 0; p < 64; p++) if (x[p] == 0f) own++;
            assertEquals(res.lambda(), own / 64.0, 1e-9);
            for (int i = 0; i < b; i++) {
                float sum = 0;
                for (int j = 0; j < k; j++) sum += y[i * k + j];
                assertEquals(1f, sum, 1e-6f);
            }
        }
    }

    @Test
    void betaSamplesHaveTheBetaMeanAndVariance() {
        // Beta(a, a): mean 1/2, variance 1 / (4 (2a + 1))
        for (double a : new double[]{0.2, 0.8, 2.0}) {
            SplittableRandom r = new SplittableRandom(11);
            int n = 40_000;
            double sum = 0, sumSq = 0;
            for (int i = 0; i < n; i++) {
                double v = BetaSampler.symmetric(a, r);
                assertTrue(v >= 0 && v <= 1);
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / n, var = sumSq / n - mean * mean;
            assertEquals(0.5, mean, 0.01, "mean for alpha " + a);
            assertEquals(1 / (4 * (2 * a + 1)), var, 0.01 * 1 / (4 * (2 * a + 1)) + 0.002, "variance for alpha " + a);
        }
    }

    @Test
    void invalidAugmentationsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false, false, 2, 9, 0, 0, 1))
                .getMessage().startsWith("augmentation.cropPadding"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, true, 2, 11, 0, 0, 1))
                .getMessage().startsWith("augmentation.randAugmentMagnitude"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, false, 2, 9, 0.8, 0, 0))
                .getMessage().startsWith("augmentation.mixProb"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, false, 2, 9, -0.1, 0, 1))
                .getMessage().startsWith("augmentation.mixupAlpha"));
    }
}
