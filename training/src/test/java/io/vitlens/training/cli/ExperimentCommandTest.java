package io.vitlens.training.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A two-arm sweep end to end; the second invocation finds both arms done and only rewrites the comparison. */
class ExperimentCommandTest {
    @Test
    void sweepTrainsAnalysesComparesAndSkipsFinishedArms(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("base.yaml"), """
                name: base
                seed: 3
                model: {image-size: 16, patch-size: 4, dim: 16, depth: 1, heads: 2, mlp-dim: 32, num-classes: 4}
                data:
                  dataset: synthetic-shapes
                  batch-size: 32
                  synthetic: {train-size: 64, test-size: 32, num-classes: 4}
                train: {epochs: 1, warmup-epochs: 0}
                """);
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(exp, """
                name: tiny-sweep
                base: base.yaml
                analyze: {images: 16, checkpoints: all}
                arms:
                  - {name: heads-1, set: [model.heads=1]}
                  - {name: heads-2, set: [model.heads=2]}
                """);
        Path out = dir.resolve("sweep");
        CliTest.Result first = CliTest.vit("experiment", "run", exp.toString(), "--out", out.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("arm 1/2 'heads-1': train"), first.out());
        for (String arm : new String[]{"heads-1", "heads-2"}) {
            assertTrue(Files.exists(out.resolve(arm + "/checkpoints/epoch-001.zip")), arm);
            assertTrue(Files.exists(out.resolve(arm + "/report/analysis.json")), arm);
        }
        assertTrue(Files.exists(out.resolve("report/index.html")));

        CliTest.Result again = CliTest.vit("experiment", "run", exp.toString(), "--out", out.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("arm 1/2 'heads-1': done") && again.out().contains("arm 2/2 'heads-2': done"), again.out());
    }

    @Test
    void badExperimentFileNamesTheProblem(@TempDir Path dir) throws Exception {
        Path exp = dir.resolve("bad.yaml");
        Files.writeString(exp, "name: x\nbase: nope.yaml\narms:\n  - {name: a, set: []}\n");
        CliTest.Result r = CliTest.vit("experiment", "run", exp.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("nope.yaml"), r.err());
    }
}
