package io.vitlens.training.reliability;

import io.vitlens.training.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real command line ({@link Main#run}) in-process, with stdout and stderr captured, and the bad-input contract. */
final class Vit {
    private Vit() {}

    /** A tiny experiment (16x16 images, D 32, L 2, H 2, 4 classes, 256 synthetic images): seconds per run. */
    static final String TINY_YAML = """
            name: tiny
            seed: 11
            model:
              image-size: 16
              patch-size: 4
              dim: 32
              depth: 2
              heads: 2
              mlp-dim: 64
              num-classes: 4
              pos-embedding: learned
              pooling: cls
            data:
              dataset: synthetic-shapes
              batch-size: 32
              augmentation:
                crop-padding: 2
                horizontal-flip: true
              synthetic:
                train-size: 256
                test-size: 64
                num-classes: 4
            train:
              epochs: 3
              warmup-epochs: 1
              lr: 0.003
              checkpoint-every: 1
            """;

    record Result(List<String> args, int status, String out, String err) {
        @Override public String toString() {
            return "vit " + String.join(" ", args) + " -> " + status + "\nstderr:\n" + err + "\nstdout (tail):\n"
                    + out.substring(Math.max(0, out.length() - 2000));
        }
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new Result(List.of(args), status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * The bad-input contract: exit status 2, exactly one error paragraph (a line "vit CMD: error: ...") that
     * contains every fragment, and no stack trace.
     */
    static void assertBadInput(Result r, String... fragments) {
        assertEquals(2, r.status(), () -> "exit status of " + r);
        assertNoStackTrace(r);
        List<String> errors = r.err().lines().filter(l -> l.matches("vit( [a-z-]+)*: (error|internal error|training stopped): .*")).toList();
        assertEquals(1, errors.size(), () -> "one error paragraph in " + r);
        assertFalse(errors.get(0).contains("internal error"), () -> r.toString());
        for (String f : fragments) assertTrue(errors.get(0).contains(f), () -> "message should contain '" + f + "': " + r);
    }

    static void assertNoStackTrace(Result r) {
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), () -> "no stack trace without --debug: " + r);
        assertFalse(r.err().contains("Exception in thread"), () -> r.toString());
    }

    /** Every regular file under {@code p} (nothing when it does not exist). */
    static List<Path> files(Path p) {
        if (!Files.exists(p)) return List.of();
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
