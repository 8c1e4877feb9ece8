package io.vitlens.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DataConfigTest {
    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void invalidFieldsAreNamed() {
        assertTrue(message(() -> new DataConfig("imagenet", null, 32, 8, 0, 1, null, null, false))
                .contains("data.dataset: unknown dataset 'imagenet', expected one of [cifar10, cifar100, image-folder, "
                        + "fashion-mnist, mnist, synthetic-shapes, cache]"));
        assertTrue(message(() -> new DataConfig(null, null, 32, 8, 0, 1, null, null, false)).startsWith("data.dataset"));
        assertTrue(message(() -> new DataConfig("mnist", null, 32, 8, 0, 1, null, null, false)).startsWith("data.imageSize: 32"));
        assertTrue(message(() -> new DataConfig("synthetic-shapes", null, 0, 8, 0, 1, null, null, false)).startsWith("data.imageSize"));
        assertTrue(message(() -> new DataConfig("synthetic-shapes", null, 32, 0, 0, 1, null, null, false)).startsWith("data.batchSize"));
        assertTrue(message(() -> new DataConfig("synthetic-shapes", null, 32, 8, 1.0, 1, null, null, false))
                .startsWith("data.validationFraction"));
        assertTrue(message(() -> new DataConfig("cache", null, 32, 8, 0, 1, null, null, false)).startsWith("data.dataDir"));
        assertTrue(message(() -> new SyntheticSpec(10, 1, 1, 11, 0.3, 0.6, 0.1, 0.2, 0.0)).startsWith("data.synthetic.numClasses"));
        assertTrue(message(() -> new SyntheticSpec(10, 1, 1, 10, 0.7, 0.6, 0.1, 0.2, 0.0)).startsWith("data.synthetic.minScale"));
        assertTrue(message(() -> Datasets.defaultLocation(DatasetKind.IMAGE_FOLDER)).startsWith("data.dataDir"));
    }

    @Test
    void nullsTakeDefaults() {
        DataConfig c = new DataConfig("synthetic-shapes", null, 32, 8, 0, 1, null, null, false);
        assertEquals(Augmentation.none(), c.augmentation());
        assertEquals(SyntheticSpec.defaults(), c.synthetic());
    }

    @Test
    void jacksonMapsAPartialYamlLikeTreeWithDefaults() throws Exception {
        ObjectMapper om = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        String json = """
                {"dataset": "image-folder", "dataDir": "/data/pets.tar.gz", "imageSize": 64, "batchSize": 32,
                 "validationFraction": 0.1, "seed": 7,
                 "augmentation": {"cropPadding": 4, "horizontalFlip": true, "randAugment": true, "mixupAlpha": 0.8},
                 "synthetic": {"trainSize": 500, "pixelNoise": 0.1},
                 "skipBadFiles": true}""";
        DataConfig c = om.readValue(json, DataConfig.class);
        assertEquals(Path.of("/data/pets.tar.gz"), c.dataDir());
        assertEquals(new Augmentation(4, true, true, 2, 9, 0.8, 0, 1.0), c.augmentation());
        SyntheticSpec d = SyntheticSpec.defaults();
        assertEquals(new SyntheticSpec(500, d.testSize(), d.seed(), d.numClasses(), d.minScale(), d.maxScale(),
                d.backgroundContrast(), d.minContrast(), 0.1), c.synthetic());
        assertTrue(c.skipBadFiles());
        // and back: a checkpoint stores the config, analysis reads it again
        assertEquals(c, om.readValue(om.writeValueAsString(c), DataConfig.class));
    }

    @Test
    void jacksonValidatesThroughTheConstructor() {
        ObjectMapper om = new ObjectMapper();
        Exception e = assertThrows(Exception.class, () -> om.readValue(
                "{\"dataset\": \"synthetic-shapes\", \"imageSize\": 32, \"batchSize\": -4}", DataConfig.class));
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        assertTrue(root.getMessage().startsWith("data.batchSize"), root.getMessage());
    }
}
