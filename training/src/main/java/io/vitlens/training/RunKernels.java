package io.vitlens.training;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.core.model.kernels.KernelChooser;
import io.vitlens.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel choices of one run ({@code kernels.json} in the run directory: product family at shape ->
 * {@code vector} | {@code openblas}). The vector loops and OpenBLAS round differently, so a resumed run pins
 * the choices its first part made ({@link KernelChooser#pin}) and computes the same bits as an uninterrupted
 * run, even if the machine's cache was cleared or would now measure otherwise.
 */
final class RunKernels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Map<String, String> choices = new TreeMap<>();

    RunKernels(Path runRoot) {
        this.file = runRoot.resolve("kernels.json");
    }

    /** Reads the recorded choices (if any) and pins them in the process-wide chooser. */
    void pinRecorded() throws IOException {
        if (!Files.isRegularFile(file)) return;
        Map<String, String> recorded;
        try {
            recorded = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new IOException(file + ": unreadable kernel choices (" + e.getMessage()
                    + "); expected a JSON object of \"family@shape\": \"vector\" | \"openblas\"", e);
        }
        try {
            KernelChooser.get().pin(recorded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        choices.putAll(recorded);
    }

    /** Adds the choices used since the last call and returns them (for the epoch's metrics line). */
    Map<String, String> drainUsed() {
        KernelChooser k = KernelChooser.get();
        Map<String, String> used = k.used();
        k.clearUsed();
        choices.putAll(used);
        return used;
    }

    /** Writes every choice recorded so far, atomically. */
    void write() throws IOException {
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(choices) + "\n");
    }
}
