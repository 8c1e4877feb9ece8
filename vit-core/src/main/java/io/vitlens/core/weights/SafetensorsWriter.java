package io.vitlens.core.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Writes safetensors files atomically; see {@link Safetensors}. */
final class SafetensorsWriter {

    /** Tensor data is streamed through a buffer of this size, so writing needs no second copy of the weights. */
    private static final int CHUNK_FLOATS = 1 << 18;   // 1 MiB

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) throws IOException {
        if (file == null) throw new IllegalArgumentException("safetensors file: missing path");
        if (tensors == null) throw new IllegalArgumentException(file + ": tensors map is null");
        byte[] header = header(file, tensors, metadata);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = createTemp(dir, target.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (TensorData t : tensors.values()) writeData(ch, chunk, t.data());
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot rename atomically; not writing a possibly"
                        + " half-written weights file", e);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** The JSON header, space-padded to a multiple of 8 bytes like the reference writer (aligns the data). */
    static byte[] header(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(Safetensors.METADATA_KEY);
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException(file + ": metadata entry " + e.getKey() + "=" + e.getValue()
                            + " has a null key or value; safetensors metadata maps strings to strings");
                meta.put(e.getKey(), e.getValue());
            }
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.equals(Safetensors.METADATA_KEY))
                throw new IllegalArgumentException(file + ": tensor name '" + name + "' is reserved or missing");
            if (e.getValue() == null) throw new IllegalArgumentException(file + ": tensor '" + name + "' is null");
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(e.getValue().shape()).forEach(shape::add);
            long end = offset + 4L * e.getValue().numel();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": could not serialise the header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        if (padded > Safetensors.MAX_HEADER_BYTES)
            throw new IllegalArgumentException(file + ": header of " + padded + " bytes exceeds the "
                    + Safetensors.MAX_HEADER_BYTES + "-byte limit readers enforce");
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** A new empty file next to the target; same directory so the final rename stays on one file system. */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                // createFile (unlike createTempFile) keeps the default permissions the final file should have
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    private static void writeData(FileChannel ch, ByteBuffer chunk, float[] data) throws IOException {
        for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, data.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(data, from, n);
            chunk.limit(4 * n);
            writeFully(ch, chunk);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the data itself is already on disk
        }
    }
}
