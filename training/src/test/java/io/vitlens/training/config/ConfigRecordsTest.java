package io.vitlens.training.config;

import io.vitlens.data.Augmentation;
import io.vitlens.data.SyntheticSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML is bound once into immutable records: left-out keys take the defaults, refusals name the YAML key. */
class ConfigRecordsTest {
    private static final String EMPTY_SECTIONS = "model: {}\ndata: {}\ntrain: {}\n";

    @Test
    void emptySectionsAreTheDefaults() {
        ExperimentConfig c = ConfigLoader.parse(EMPTY_SECTIONS, "e.yaml", List.of());
        assertEquals(ExperimentConfig.defaults(), c);
        assertEquals(ModelSection.DEFAULTS, c.model());
        assertEquals(TrainSection.DEFAULTS, c.train());
        assertEquals(DataSection.DEFAULTS, c.data());
        // the documented defaults, written out by hand
        assertEquals(10, c.train().epochs());
        assertEquals(1e-3, c.train().lr());
        assertEquals(2.0, c.train().warmupEpochs());
        assertEquals(0.05, c.train().weightDecay());
        assertEquals(128, c.model().dim());
        assertEquals("learned", c.model().posEmbedding());
        assertEquals("synthetic-shapes", c.data().dataset());
        assertEquals(42, c.seed());
        assertEquals("experiment", c.name());
    }

    @Test
    void aPartialSectionKeepsTheDefaultsOfWhatItLeavesOut() {
        ExperimentConfig c = ConfigLoader.parse("model: {dim: 64, heads: 2}\ndata:\n  augmentation: {mixup-alpha: 0.8}\n"
                + "  synthetic: {train-size: 300}\ntrain: {epochs: 3}\n", "p.yaml", List.of());
        assertEquals(64, c.model().dim());
        assertEquals(ModelSection.DEFAULTS.depth(), c.model().depth());
        assertEquals(3, c.train().epochs());
        assertEquals(TrainSection.DEFAULTS.lr(), c.train().lr());
        Augmentation a = c.data().augmentation();
        assertEquals(0.8, a.mixupAlpha());
        assertEquals(1.0, a.mixProb(), "mixup alone mixes every batch");
        assertEquals(Augmentation.DEFAULT_RAND_AUGMENT_OPS, a.randAugmentOps());
        SyntheticSpec s = c.data().synthetic();
        assertEquals(300, s.trainSize());
        assertEquals(SyntheticSpec.defaults().testSize(), s.testSize());
        // and the data module's config is built from them once, with the model's image size and the seed
        assertEquals(c.model().imageSize(), c.dataConfig().imageSize());
        assertEquals(c.seed(), c.dataConfig().seed());
        assertEquals(a, c.dataConfig().augmentation());
    }

    @Test
    void writingAndReadingBackGivesTheSameConfig() {
        ExperimentConfig c = ConfigLoader.parse("name: w\nseed: 5\nmodel: {dim: 64, heads: 2, pos-embedding: learned-2d}\n"
                + "data: {batch-size: 16, augmentation: {crop-padding: 2, random-erasing: 0.25}}\ntrain: {epochs: 2, ema-decay: 0.99}\n",
                "w.yaml", List.of());
        String yaml = ConfigLoader.toYaml(c);
        assertTrue(yaml.contains("random-erasing: 0.25") && yaml.contains("pos-embedding: learned-2d")
                && yaml.contains("ema-decay: 0.99"), yaml);
        assertEquals(c, ConfigLoader.parse(yaml, "back.yaml", List.of()));
    }

    @Test
    void theDataModulesRefusalsNameTheYamlKeys() {
        String mnist = "model: {image-size: 32, channels: 1}\ndata: {dataset: mnist}\ntrain: {}\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(mnist, "m.yaml", List.of()));
        // the data module calls it imageSize; in the YAML it is the model's key
        assertTrue(e.getMessage().startsWith("m.yaml: model.image-size: 32 but mnist images are 28x28"), e.getMessage());
        assertTrue(e.getMessage().endsWith("set model.image-size: 28"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(EMPTY_SECTIONS, "x.yaml",
                List.of("data.augmentation.rand-augment=true", "data.augmentation.rand-augment-ops=0")));
        assertTrue(e.getMessage().contains("data.augmentation.rand-augment-ops: 0 with data.augmentation.rand-augment=true"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(EMPTY_SECTIONS, "x.yaml",
                List.of("data.synthetic.min-scale=0.9", "data.synthetic.max-scale=0.5")));
        assertTrue(e.getMessage().contains("data.synthetic.min-scale/data.synthetic.max-scale: 0.9/0.5"), e.getMessage());
        assertTrue(!e.getMessage().matches(".*[a-z][A-Z].*"), "no camelCase key in: " + e.getMessage());
    }

    @Test
    void anUnknownNestedKeyIsPlacedOnItsLine() {
        String y = "model: {}\ndata:\n  batch-size: 8\n  augmentation:\n    crop-padding: 2\n    cropPadding: 2\ntrain: {}\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(y, "u.yaml", List.of()));
        assertTrue(e.getMessage().contains("unknown key 'data.augmentation.cropPadding' (line 6, column 5)"), e.getMessage());
        assertTrue(e.getMessage().contains("known keys here: crop-padding"), e.getMessage());
    }

    @Test
    void aMisspeltKeyIsReportedAsSuchNotAsTheDefaultItFailedToReplace() {
        // with warmup_epochs unknown, the default warm-up of 2 epochs does not fit epochs: 1; the misspelling is the news
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "model: {}\ndata: {}\ntrain:\n  epochs: 1\n  warmup_epochs: 0\n", "m.yaml", List.of()));
        assertTrue(e.getMessage().contains("unknown key 'train.warmup_epochs' (line 5, column 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("warmup-epochs"), "the right spelling is listed: " + e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "model: {image-size: 30, patch-sise: 5}\ndata: {}\ntrain: {}\n", "m.yaml", List.of()));
        assertTrue(e.getMessage().contains("unknown key 'model.patch-sise'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(EMPTY_SECTIONS, "m.yaml",
                List.of("data.synthetic.trainsize=5", "data.synthetic.min-scale=2")));
        assertTrue(e.getMessage().contains("unknown key 'data.synthetic.trainsize'"), e.getMessage());
    }

    @Test
    void nameAndSeedMayBeLeftOutButNotSetToNothing() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("name: ~\n" + EMPTY_SECTIONS, "n.yaml", List.of()));
        assertTrue(e.getMessage().contains("name: must be a non-empty string"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("seed:\n" + EMPTY_SECTIONS, "n.yaml", List.of()));
        assertTrue(e.getMessage().contains("key 'seed'") && e.getMessage().contains("expected an integer, found nothing (null)"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("name: ''\n" + EMPTY_SECTIONS, "n.yaml", List.of()));
        assertTrue(e.getMessage().contains("name: must be a non-empty string"), e.getMessage());
    }

    @Test
    void aStoredConfigWithTheOldBindersSpellingsStillBinds() throws Exception {
        // checkpoints of before the config records kept these blocks as written, and the old binder took these spellings
        String stored = "name: old\nmodel: {}\ndata:\n  augmentation: {crop_padding: 2, horizontalFlip: true}\n"
                + "  synthetic: {train_size: 300}\ntrain: {}\n";
        ExperimentConfig c = ConfigLoader.bind(ConfigLoader.YAML.readTree(stored), "epoch-001.zip (stored config)");
        assertEquals(Augmentation.cropFlip(2), c.data().augmentation());
        assertEquals(300, c.data().synthetic().trainSize());
        // a config a person writes now is held to the documented kebab-case keys
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(stored, "new.yaml", List.of()));
        assertTrue(e.getMessage().contains("unknown key 'data.augmentation.crop_padding'"), e.getMessage());
    }
}
