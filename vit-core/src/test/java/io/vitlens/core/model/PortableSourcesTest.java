package io.vitlens.core.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guard on the portable engine's sources (model/portable and model/layers/Portable*): they must not reach
 * array memory from Java (element access, host buffers, the fast engine's kernels or direct BLAS), nor loop,
 * since on the CUDA backend each such read synchronises host and device or reads a stale host copy.
 * {@code Buffers.dense} is allowed: it inspects the shape only and copies through ND4J.
 */
class PortableSourcesTest {

    private static final Path MAIN = Path.of("src", "main", "java", "io", "vitlens", "core", "model");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(getDouble|getFloat|putScalar|toDoubleVector|toFloatVector|toDoubleMatrix|data\\(\\)|addressPointer"
                    + "|FloatBuffer|DoubleBuffer|Blas\\.|Kernels|kernels\\(\\)|LinearOps|for \\(|while \\()"
                    + "|Buffers\\.(?!dense\\()");

    @Test
    void portableSourcesUseNd4jOpsOnly() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(MAIN.resolve("portable"))) {
            s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).forEach(files::add);
        }
        try (Stream<Path> s = Files.list(MAIN.resolve("layers"))) {
            s.filter(p -> p.getFileName().toString().startsWith("Portable")).forEach(files::add);
        }
        assertEquals(5, files.size(), "PortableOps, PortableAttention and three layer passes: " + files);
        List<String> hits = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).replaceAll("//.*", "");
                if (code.trim().startsWith("*") || code.trim().startsWith("/*")) continue;
                Matcher m = FORBIDDEN.matcher(code);
                if (m.find()) hits.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertTrue(hits.isEmpty(), "host access in the portable engine:\n" + String.join("\n", hits));
    }
}
