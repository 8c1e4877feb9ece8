package io.vitlens.training.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Byte-level surgery on checkpoints (zip: checkpoint.json + model.dl4j) and safetensors files. */
final class ModelFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {}

    /** A valid tiny run: epoch-000 and epoch-001 checkpoints, and the epoch-001 weights as safetensors. */
    record Fixture(Path config, Path run, Path checkpoint0, Path checkpoint1, Path weights) {}

    static Fixture train(Path dir) {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML);
        Path run = dir.resolve("fixture-run");
        Vit.Result r = Vit.run("train", "--config", config.toString(), "--out", run.toString(), "--set", "train.epochs=1",
                "--set", "train.warmup-epochs=0", "--set", "train.max-batches-per-epoch=2", "--set", "train.eval-images=16");
        assertEquals(0, r.status(), r::toString);
        Path weights = dir.resolve("fixture.safetensors");
        Vit.Result e = Vit.run("export", "--checkpoint", run.resolve("checkpoints/epoch-001.zip").toString(), "--out", weights.toString());
        assertEquals(0, e.status(), e::toString);
        return new Fixture(config, run, run.resolve("checkpoints/epoch-000.zip"), run.resolve("checkpoints/epoch-001.zip"), weights);
    }

    /** The entries of a zip, in order. */
    static Map<String, byte[]> entries(Path zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Path zip(Path file, Map<String, byte[]> entries) {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A copy of {@code checkpoint} whose checkpoint.json is edited by {@code edit}. */
    static Path withMeta(Path checkpoint, Path out, UnaryOperator<ObjectNode> edit) {
        Map<String, byte[]> e = entries(checkpoint);
        try {
            ObjectNode meta = (ObjectNode) JSON.readTree(e.get("checkpoint.json"));
            e.put("checkpoint.json", JSON.writeValueAsBytes(edit.apply(meta)));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return zip(out, e);
    }

    // ---- safetensors: u64 little-endian header length, JSON header, data ----

    static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static ObjectNode header(byte[] file) {
        try {
            return (ObjectNode) JSON.readTree(Arrays.copyOfRange(file, 8, 8 + (int) headerLength(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same data section behind another header (raw text, so it may be invalid JSON). */
    static byte[] withHeader(byte[] file, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int dataStart = 8 + (int) headerLength(file);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        b.writeBytes(h);
        b.write(file, dataStart, file.length - dataStart);
        return b.toByteArray();
    }

    static byte[] withHeaderLength(byte[] file, long n) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
        return b;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path p, byte[] b) {
        try {
            return Files.write(p, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
