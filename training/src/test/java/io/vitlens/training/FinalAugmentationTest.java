package io.vitlens.training;

import io.vitlens.data.Augmentation;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.ExperimentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** data.final-augmentation: the last epochs of a run train with another augmentation (tiny model of {@link TrainerTest}). */
class FinalAugmentationTest {
    private static final String STRONG = "data.augmentation={crop-padding: 4, horizontal-flip: true, random-erasing: 0.5}";
    private static final String LIGHT_AS_MAIN = "data.augmentation={horizontal-flip: true}";
    private static final String LIGHT_AS_FINAL = "data.final-augmentation={horizontal-flip: true}";
    private static final String LAST_ONE = "data.final-augmentation-epochs=1";

    private static RunDirectory train(Path dir, String name, String... extra) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve(name), false, false);
        new Trainer(TrainerTest.tiny(extra), run, null).run(false);
        return run;
    }

    private static float[] params(Path checkpoint) throws Exception {
        return CheckpointIO.read(checkpoint, true).graph().params().toFloatVector();
    }

    @Test
    void theLastEpochTrainsAsIfTheRunWereResumedWithTheFinalAugmentation(@TempDir Path dir) throws Exception {
        RunDirectory switched = train(dir, "switched", STRONG, LIGHT_AS_FINAL, LAST_ONE);
        RunDirectory strong = train(dir, "strong", STRONG);
        // the same first two epochs, then epoch 3 resumed with the light augmentation as the run's only one
        RunDirectory resumed = train(dir, "resumed", STRONG);
        Files.delete(resumed.checkpoint(3));
        new Trainer(TrainerTest.tiny(LIGHT_AS_MAIN), resumed, null).run(true);

        assertArrayEquals(params(strong.checkpoint(2)), params(switched.checkpoint(2)), 0f, "epochs 1-2: the main augmentation");
        assertArrayEquals(params(resumed.checkpoint(3)), params(switched.checkpoint(3)), 0f, "epoch 3: the final one");
        assertFalse(Arrays.equals(params(strong.checkpoint(3)), params(switched.checkpoint(3))), "the switch changed epoch 3");
    }

    @Test
    void aResumeAcrossTheSwitchIsBitIdentical(@TempDir Path dir) throws Exception {
        String[] cfg = {STRONG, LIGHT_AS_FINAL, "data.final-augmentation-epochs=2", "train.eval-images=32"};
        RunDirectory full = train(dir, "full", cfg);
        RunDirectory part = train(dir, "part", cfg);
        Files.delete(part.checkpoint(3));
        Files.delete(part.checkpoint(2));
        new Trainer(TrainerTest.tiny(cfg), part, null).run(true);   // from epoch 1: the switch comes at epoch 2
        assertArrayEquals(params(full.checkpoint(3)), params(part.checkpoint(3)), 0f);
    }

    @Test
    void theScheduleCountsFromTheEndOfTheRun() {
        ExperimentConfig c = TrainerTest.tiny(STRONG, LIGHT_AS_FINAL, "train.epochs=5", "data.final-augmentation-epochs=2");
        Augmentation strong = c.data().augmentation(), light = c.data().finalAugmentation();
        assertEquals(4, strong.cropPadding());
        assertEquals(new Augmentation(0, true, false, Augmentation.DEFAULT_RAND_AUGMENT_OPS,
                Augmentation.DEFAULT_RAND_AUGMENT_MAGNITUDE, 0, 0, 1.0, 0), light);
        assertEquals(List.of(strong, strong, strong, light, light),
                List.of(c.augmentationAt(1), c.augmentationAt(2), c.augmentationAt(3), c.augmentationAt(4), c.augmentationAt(5)));
        ExperimentConfig none = TrainerTest.tiny(STRONG, "train.epochs=5");
        for (int e = 1; e <= 5; e++) assertEquals(strong, none.augmentationAt(e), "no final augmentation, epoch " + e);
        ExperimentConfig zero = TrainerTest.tiny(STRONG, LIGHT_AS_FINAL, "train.epochs=5", "data.final-augmentation-epochs=0");
        assertEquals(strong, zero.augmentationAt(5), "0 epochs: the block is kept but not used");
        ExperimentConfig all = TrainerTest.tiny(STRONG, LIGHT_AS_FINAL, "train.epochs=5", "data.final-augmentation-epochs=5");
        assertEquals(light, all.augmentationAt(1));
    }

    @Test
    void badSchedulesAreRefusedByName() {
        assertRefused("data.final-augmentation-epochs: 1 but data.final-augmentation is not set", LAST_ONE);
        assertRefused("data.final-augmentation-epochs: -1 must be >= 0", LIGHT_AS_FINAL, "data.final-augmentation-epochs=-1");
        assertRefused("data.final-augmentation-epochs: 4 is more than train.epochs (3)", LIGHT_AS_FINAL,
                "data.final-augmentation-epochs=4");
        assertRefused("data.final-augmentation.crop-padding", "data.final-augmentation={crop-padding: -1}", LAST_ONE);
        assertRefused("unknown key 'data.final-augmentation.crop'", "data.final-augmentation={crop: 4}", LAST_ONE);
    }

    private static void assertRefused(String expected, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainerTest.tiny(overrides));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
