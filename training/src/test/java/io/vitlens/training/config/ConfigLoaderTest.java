package io.vitlens.training.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String VALID = """
            name: t
            seed: 7
            model:
              image-size: 32
              patch-size: 4
              dim: 64
              heads: 4
              depth: 2
              mlp-dim: 128
              num-classes: 10
            data:
              dataset: synthetic-shapes
              batch-size: 32
              augmentation:
                crop-padding: 4
                horizontal-flip: true
              synthetic:
                train-size: 200
                test-size: 50
            train:
              epochs: 3
            """;

    @Test
    void validConfigBindsEveryKey() {
        ExperimentConfig c = ConfigLoader.parse(VALID, "t.yaml", List.of());
        assertEquals(7, c.seed());
        assertEquals(64, c.vit().dim());
        assertEquals(16, c.vit().headDim());
        assertEquals(32, c.data().batchSize());
        assertEquals(4, c.dataConfig().augmentation().cropPadding());
        assertTrue(c.dataConfig().augmentation().horizontalFlip());
        assertEquals(200, c.dataConfig().synthetic().trainSize());
        assertEquals(3, c.train().epochs());
    }

    @Test
    void overridesKeepTypesAndCreateSections() {
        ExperimentConfig c = ConfigLoader.parse(VALID, "t.yaml",
                List.of("train.epochs=5", "model.pos-embedding=sincos2d", "data.augmentation.horizontal-flip=false", "train.lr=3e-4"));
        assertEquals(5, c.train().epochs());
        assertEquals("sincos2d", c.vit().posEmbedding().id());
        assertEquals(false, c.dataConfig().augmentation().horizontalFlip());
        assertEquals(3e-4, c.train().lr(), 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level key       | bogus: 1                                   | unknown key 'bogus'",
            "unknown model key           | model: {dimm: 64}                          | unknown key 'model.dimm'",
            "wrong type                  | model: {dim: sixty-four}                   | model.dim",
            "zero size                   | model: {dim: 0}                            | model.dim: 0 is not a positive integer",
            "negative depth              | model: {depth: -1}                         | model.depth: -1",
            "dim not divisible by heads  | model: {dim: 30, heads: 4}                 | model.dim: 30 is not divisible by model.heads 4",
            "patch does not divide image | model: {patch-size: 5}                     | model.patch-size: 5 does not divide model.image-size 32",
            "unknown enum lists known    | model: {pos-embedding: fourier}            | learned, learned-2d, sincos2d, none",
            "unknown pooling             | model: {pooling: max}                      | model.pooling",
            "bad epochs                  | train: {epochs: 0}                         | train.epochs: 0",
            "bad warmup                  | train: {epochs: 2, warmup-epochs: 5}       | train.warmup-epochs",
            "bad smoothing               | train: {label-smoothing: 1.5}              | train.label-smoothing",
            "unknown augmentation key    | data: {augmentation: {rotate: 3}}          | data.augmentation.rotate: unknown key",
            "unknown dataset             | data: {dataset: imagenet}                  | imagenet",
            "bad batch size              | data: {batch-size: 0}                      | data.batch-size",
            "null section                | model:                                     | model: missing section",
    })
    void badConfigsNameTheKey(String what, String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "bad.yaml", List.of()));
        assertTrue(e.getMessage().contains(expected), what + ": message was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.yaml"), "names the file: " + e.getMessage());
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("model:\n  dim: [1, 2\ntrain: {}\n", "s.yaml", List.of()));
        assertTrue(e.getMessage().contains("line"), e.getMessage());
        assertTrue(e.getMessage().contains("column"), e.getMessage());
    }

    @Test
    void unknownKeyCarriesLineNumber() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("name: x\nmodel:\n  dimm: 3\n", "s.yaml", List.of()));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void randomErasingIsBoundAndItsRangeChecked() {
        ExperimentConfig c = ConfigLoader.parse(VALID, "t.yaml", List.of("data.augmentation.random-erasing=0.25"));
        assertEquals(0.25, c.dataConfig().augmentation().randomErasing());
        assertEquals(0.0, ConfigLoader.parse(VALID, "t.yaml", List.of()).dataConfig().augmentation().randomErasing());
        ConfigException e = assertThrows(ConfigException.class, () ->
                ConfigLoader.parse(VALID, "t.yaml", List.of("data.augmentation.random-erasing=1.5")).dataConfig());
        assertTrue(e.getMessage().contains("data.augmentation.random-erasing: 1.5 is outside [0, 1]"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no/such.yaml"), List.of()));
        assertTrue(e.getMessage().contains("no/such.yaml"), e.getMessage());
    }

    @Test
    void badOverrideSyntax() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(VALID, "t.yaml", List.of("train.epochs")));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    }

    @Test
    void shippedConfigsAreValid() {
        for (String f : List.of("quickstart", "cifar10-vit-tiny", "cifar10-vit-tiny-long", "cifar10-vit-small",
                "fashion-mnist-vit-tiny")) {
            ExperimentConfig c = ConfigLoader.load(Path.of("../configs/" + f + ".yaml"), List.of());
            assertEquals(f, c.name());
        }
        ExperimentConfig tiny = ConfigLoader.load(Path.of("../configs/cifar10-vit-tiny.yaml"), List.of());
        assertEquals(128, tiny.vit().dim());
        assertEquals(6, tiny.vit().depth());
        assertEquals(4, tiny.vit().heads());
        assertEquals(256, tiny.vit().mlpDim());
        // the long-schedule candidate: the same model as cifar10-vit-tiny, a longer schedule
        ExperimentConfig lng = ConfigLoader.load(Path.of("../configs/cifar10-vit-tiny-long.yaml"), List.of());
        assertEquals(tiny.vit(), lng.vit());
        assertEquals(50, lng.train().epochs());
        assertEquals(5.0, lng.train().warmupEpochs());
        assertEquals(1e-3, lng.train().lr());
        assertEquals(0.05, lng.train().weightDecay());
        assertEquals(0.1, lng.train().labelSmoothing());
        assertEquals(2, lng.train().checkpointEvery());
        assertEquals(0.9998, lng.train().emaDecay());
        io.vitlens.data.Augmentation aug = lng.dataConfig().augmentation();
        io.vitlens.data.Augmentation cropFlip = io.vitlens.data.Augmentation.cropFlip(4);
        assertEquals(new io.vitlens.data.Augmentation(4, true, cropFlip.randAugment(), cropFlip.randAugmentOps(),
                cropFlip.randAugmentMagnitude(), 0, 0, cropFlip.mixProb(), 0.25), aug);
        ExperimentConfig small = ConfigLoader.load(Path.of("../configs/cifar10-vit-small.yaml"), List.of());
        assertEquals(192, small.vit().dim());
        assertEquals(6, small.vit().heads());
        assertEquals(384, small.vit().mlpDim());
    }

    @Test
    void yamlRoundTripIsLossless() {
        ExperimentConfig c = ConfigLoader.parse(VALID, "t.yaml", List.of("model.tie-qk=true"));
        ExperimentConfig back = ConfigLoader.parse(ConfigLoader.toYaml(c), "back.yaml", List.of());
        assertEquals(c.vit(), back.vit());
        assertEquals(c.dataConfig(), back.dataConfig());
        assertEquals(ConfigLoader.toYaml(c), ConfigLoader.toYaml(back));
    }
}
