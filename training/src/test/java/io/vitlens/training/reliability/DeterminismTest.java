package io.vitlens.training.reliability;

import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed, same machine: two runs write identical metrics (but for the timing fields imagesPerSecond and
 * epochSeconds), identical weights and optimiser state at every checkpoint, and the same config.yaml. Dropout,
 * drop-path, random crops and flips are on, so every source of randomness is exercised.
 */
class DeterminismTest {
    static final List<String> TIMING = List.of("imagesPerSecond", "epochSeconds");

    @TempDir Path dir;

    @Test
    void sameSeedSameMetricsAndWeights() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML.replace("epochs: 3", "epochs: 2")
                .replace("  pooling: cls\n", "  pooling: cls\n  dropout: 0.1\n  drop-path: 0.1\n"));
        RunDirectory a = train(config, "a"), b = train(config, "b");

        assertEquals(Files.readString(a.config()), Files.readString(b.config()));
        List<Map<String, Object>> ma = MetricsWriter.read(a.metricsJsonl()), mb = MetricsWriter.read(b.metricsJsonl());
        assertEquals(2, ma.size());
        for (Map<String, Object> m : ma) assertTrue(m.keySet().containsAll(TIMING), "timing fields exist: " + m.keySet());
        assertEquals(strip(ma), strip(mb), "metrics but for timing");
        assertEquals(a.checkpointEpochs(), b.checkpointEpochs());
        for (int e : a.checkpointEpochs()) {
            Checkpoint ca = CheckpointIO.read(a.checkpoint(e), true), cb = CheckpointIO.read(b.checkpoint(e), true);
            assertArrayEquals(ca.graph().params().toFloatVector(), cb.graph().params().toFloatVector(), 0f, "weights at epoch " + e);
            if (e > 0)
                assertArrayEquals(ca.graph().getUpdater().getStateViewArray().toFloatVector(),
                        cb.graph().getUpdater().getStateViewArray().toFloatVector(), 0f, "Adam state at epoch " + e);
            assertEquals(ca.meta().step(), cb.meta().step());
            assertEquals(ca.meta().testAccuracy(), cb.meta().testAccuracy());
        }

        // and the seed matters: another seed gives other weights (the comparison above is not vacuous)
        RunDirectory c = train(config, "c", "--set", "seed=12");
        assertNotEquals(List.of(CheckpointIO.read(a.checkpoint(2), false).graph().params().toFloatVector()[0]),
                List.of(CheckpointIO.read(c.checkpoint(2), false).graph().params().toFloatVector()[0]));
    }

    private RunDirectory train(Path config, String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--config", config.toString(), "--out", dir.resolve(name).toString()));
        args.addAll(List.of(extra));
        Vit.Result r = Vit.run(args.toArray(new String[0]));
        assertEquals(0, r.status(), r::toString);
        return new RunDirectory(dir.resolve(name));
    }

    private static List<Map<String, Object>> strip(List<Map<String, Object>> lines) {
        for (Map<String, Object> m : lines) TIMING.forEach(m::remove);
        return lines;
    }
}
