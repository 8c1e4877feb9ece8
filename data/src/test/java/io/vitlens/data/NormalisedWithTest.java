package io.vitlens.data;

import io.vitlens.core.Normalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dataset seen through a model's normalisation: (x/255 - mean[c]) / std[c] with the model's statistics. */
class NormalisedWithTest {
    private static LoadedDataset data() throws java.io.IOException {
        return Datasets.open(new DataConfig("synthetic-shapes", null, 16, 8, 0.25, 3, null,
                SyntheticSpec.defaults().withSizes(40, 12), false));
    }

    @Test
    void pixelsAreNormalisedWithTheModelsStatistics() throws Exception {
        LoadedDataset ds = data();
        float[] mean = {0.25f, 0.5f, 0.75f};
        float[] std = {0.5f, 0.25f, 2f};
        LoadedDataset seen = ds.normalisedWith(new Normalization(mean, std, ds.classNames()));
        assertArrayEquals(mean, seen.mean());
        assertArrayEquals(std, seen.std());
        INDArray f = seen.evalIterator(Split.TEST, 5).next().getFeatures();   // [5, 3, 16, 16]
        ImageSet raw = ds.raw().test();
        for (int i = 0; i < 5; i++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 16; y += 5)
                    for (int x = 0; x < 16; x += 3) {
                        double want = (raw.pixel(i, c, y, x) / 255.0 - mean[c]) / std[c];
                        assertEquals(want, f.getDouble(i, c, y, x), 1e-6, "image " + i + " channel " + c);
                    }
    }

    @Test
    void itsOwnStatisticsChangeNothingAndSplitsStayTheSame() throws Exception {
        LoadedDataset ds = data();
        LoadedDataset same = ds.normalisedWith(ds.normalization());
        assertEquals(ds.evalIterator(Split.TEST, 0).next().getFeatures(), same.evalIterator(Split.TEST, 0).next().getFeatures());
        for (Split s : Split.values()) assertEquals(ds.size(s), same.size(s), s.name());
        assertEquals(ds.trainIterator(2).next().getLabels(), same.trainIterator(2).next().getLabels());
        // the original is untouched
        assertTrue(ds.mean()[0] != 0.25f || ds.std()[0] != 0.5f);
    }

    @Test
    void aModelWithAnotherChannelCountIsRefused() throws Exception {
        LoadedDataset ds = data();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ds.normalisedWith(new Normalization(new float[]{0.5f}, new float[]{0.2f}, ds.classNames())));
        assertTrue(e.getMessage().contains("1 channel(s)") && e.getMessage().contains("have 3"), e.getMessage());
    }
}
