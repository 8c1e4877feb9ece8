package io.vitlens.training.reliability;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Command-line mistakes: unknown options and commands, missing arguments and values, wrong value types, and an
 * output that exists. Exit status 2, one paragraph (the problem, the synopsis, where the help is) rather than the
 * whole help page, no stack trace; an existing run is never touched.
 */
class BadCommandLineTest {
    @TempDir static Path shared;
    static ModelFiles.Fixture fx;
    /** The fixture run's files and bytes, to prove that refused commands leave it alone. */
    static Map<Path, byte[]> runBefore;

    @BeforeAll
    static void fixture() {
        fx = ModelFiles.train(shared);
        runBefore = BadModelFileTest.snapshot(fx.run());
    }

    record Case(String name, List<String> args, List<String> fragments) {
        @Override public String toString() { return name; }
    }

    static Case c(String name, List<String> args, String... fragments) { return new Case(name, args, List.of(fragments)); }

    static Stream<Case> cases() {
        String cfg = fx.config().toString(), run = fx.run().toString(), cp = fx.checkpoint1().toString();
        Path fresh = shared.resolve("fresh");
        Path aFile = Vit.write(shared.resolve("a-file"), "x");
        Path emptyDir = shared.resolve("empty-run");
        try {
            Files.createDirectories(emptyDir.resolve("checkpoints"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Stream.of(
                // options and commands that do not exist
                c("unknown option", List.of("train", "--config", cfg, "--out", fresh.toString(), "--bogus"),
                        "vit train: error: Unknown option: '--bogus'"),
                c("misspelt option", List.of("train", "--config", cfg, "--out", fresh.toString(), "--overwrit"),
                        "Unknown option: '--overwrit'"),
                c("unknown command", List.of("trian"), "vit: error: Unmatched argument at index 0: 'trian'"),
                c("stray argument", List.of("eval", "--checkpoint", cp, "extra"), "vit eval: error: Unmatched argument", "'extra'"),
                // missing arguments
                c("no --out", List.of("train", "--config", cfg), "Missing required option: '--out=DIR'"),
                c("--out without its value", List.of("train", "--config", cfg, "--out"), "Missing required parameter for option '--out'"),
                c("no model for eval", List.of("eval"), "Missing required argument", "--checkpoint=FILE", "--weights=FILE"),
                c("no --config and no --resume", List.of("train", "--out", fresh.toString()), "--config: missing"),
                c("--config that does not exist", List.of("train", "--config", shared.resolve("nope.yaml").toString(), "--out", fresh.toString()),
                        "nope.yaml", "no such config file"),
                c("--config that is a folder", List.of("train", "--config", shared.toString(), "--out", fresh.toString()),
                        shared.toString(), "cannot read"),
                // values of the wrong type or range
                c("--limit not a number", List.of("eval", "--checkpoint", cp, "--limit", "abc"),
                        "Invalid value for option '--limit': 'abc' is not an int"),
                c("--mean not numbers", List.of("predict", "--weights", fx.weights().toString(), "--mean", "a,b,c", "--out", "p.csv"),
                        "Invalid value for option '--mean'"),
                c("--checkpoint and --weights together", List.of("eval", "--checkpoint", cp, "--weights", fx.weights().toString()),
                        "mutually exclusive"),
                c("--split unknown", List.of("eval", "--checkpoint", cp, "--split", "dev"), "--split: 'dev' is not one of train, validation, test"),
                c("--dataset unknown", List.of("data", "summary", "--dataset", "imagenet"), "unknown dataset 'imagenet'", "cifar10"),
                c("--images zero", List.of("analyze", "--checkpoint", cp, "--images", "0", "--out", shared.resolve("rep").toString()),
                        "--images: 0 must be > 0"),
                c("--checkpoints names a missing one", List.of("analyze", "--run", run, "--checkpoints", "epoch-007"),
                        "--checkpoints: epoch-007 is not in", "[0, 1]"),
                c("--checkpoints malformed", List.of("analyze", "--run", run, "--checkpoints", "seven"),
                        "--checkpoints: 'seven' is not all, last, or epoch-NNN"),
                c("--batch zero", List.of("eval", "--checkpoint", cp, "--batch", "0"), "--batch: 0 must be >= 1"),
                c("--limit negative", List.of("eval", "--checkpoint", cp, "--limit", "-5"), "--limit: -5 must be >= 0 (0 = all)"),
                c("report without analysis", List.of("report", "--runs", run, "--out", shared.resolve("cmp").toString()),
                        "--runs " + run, "analysis.json", "vit analyze --run"),
                // outputs that exist
                c("train into an existing run", List.of("train", "--config", cfg, "--out", run),
                        "--out " + run + ": directory exists and is not empty", "--resume", "--overwrite"),
                c("quickstart into an existing run", List.of("quickstart", "--out", run),
                        "--out " + run + ": directory exists and is not empty"),
                c("--out is a file", List.of("train", "--config", cfg, "--out", aFile.toString()),
                        "--out " + aFile + ": exists and is not a directory"),
                c("--resume with --overwrite", List.of("train", "--config", cfg, "--out", run, "--resume", "--overwrite"),
                        "--resume and --overwrite exclude each other"),
                c("--resume of nothing", List.of("train", "--config", cfg, "--out", emptyDir.toString(), "--resume"),
                        "--resume: " + emptyDir + " holds no run to resume"),
                c("--resume of a missing folder", List.of("train", "--out", shared.resolve("gone").toString(), "--resume"),
                        "config.yaml", "no such config file"),
                c("predict --out onto a folder", List.of("predict", "--checkpoint", cp, "--limit", "2", "--out", shared.toString()),
                        "cannot write " + shared, "into place failed"),
                c("export --out onto a folder", List.of("export", "--checkpoint", cp, "--out", shared.toString()), shared.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mistakeIsReportedInOneParagraph(Case c) {
        Vit.Result r = Vit.run(c.args().toArray(new String[0]));
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertFalse(r.err().contains("Show this help message and exit"), () -> "not the whole help page: " + r);
        assertTrue(r.err().lines().count() <= 12, () -> "a paragraph, not pages: " + r);
        BadModelFileTest.assertSnapshotEquals(runBefore, BadModelFileTest.snapshot(fx.run()));
        assertFalse(Files.exists(shared.resolve("fresh")), "a refused train creates nothing");
    }

    @Test
    void usageErrorsShowTheSynopsisAndSuggestions() {
        Vit.Result r = Vit.run("train", "--config", fx.config().toString(), "--out", "x", "--overwrit");
        assertTrue(r.err().contains("Possible solutions: --overwrite"), r::toString);
        assertTrue(r.err().contains("Usage: vit train "), r::toString);
        assertTrue(r.err().contains("Run 'vit train --help'"), r::toString);
        Vit.Result cmd = Vit.run("trian");
        assertTrue(cmd.err().contains("Did you mean: vit train"), cmd::toString);
    }

    @Test
    void debugPrintsTheStackTrace() {
        Path junk = Vit.write(shared.resolve("junk.zip"), "not a zip");
        Vit.Result plain = Vit.run("eval", "--checkpoint", junk.toString());
        Vit.assertBadInput(plain, "junk.zip");
        Vit.Result debug = Vit.run("eval", "--checkpoint", junk.toString(), "--debug");
        assertEquals(2, debug.status());
        assertTrue(debug.err().contains("\tat ") && debug.err().contains("CheckpointException"), debug::toString);
    }

    @Test
    void overwriteReplacesAndResumeOfACompleteRunChangesNothing() throws IOException {
        Path copy = shared.resolve("copy");
        BadModelFileTest.copyTree(fx.run(), copy);
        Map<Path, byte[]> before = BadModelFileTest.snapshot(copy);
        // resuming a finished run trains nothing and rewrites nothing but the (identical) metrics files
        Vit.Result resumed = Vit.run("train", "--resume", "--out", copy.toString());
        assertEquals(0, resumed.status(), resumed::toString);
        assertTrue(resumed.out().contains("nothing left to train"), resumed::toString);
        Map<Path, byte[]> after = BadModelFileTest.snapshot(copy);
        assertEquals(before.keySet(), after.keySet());
        for (Path p : before.keySet()) assertArrayEquals(before.get(p), after.get(p), p.toString());

        List<String> args = new ArrayList<>(List.of("train", "--config", fx.config().toString(), "--out", copy.toString(),
                "--overwrite", "--set", "train.epochs=1", "--set", "train.max-batches-per-epoch=1", "--set", "train.eval-images=8"));
        Vit.Result over = Vit.run(args.toArray(new String[0]));
        assertEquals(0, over.status(), over::toString);
        assertEquals(List.of(0, 1), new io.vitlens.training.RunDirectory(copy).checkpointEpochs());
    }
}
