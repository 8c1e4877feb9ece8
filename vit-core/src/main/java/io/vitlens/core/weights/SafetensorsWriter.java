package io.vitlens.core.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Writes safetensors files atomically ({@link AtomicFiles}); see {@link Safetensors}. */
final class SafetensorsWriter {

    /** Tensor data is streamed through a buffer of this size, so writing needs no second copy of the weights. */
    private static final int CHUNK_FLOATS = 1 << 18;   // 1 MiB

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) throws IOException {
        if (file == null) throw new IllegalArgumentException("safetensors file: missing path");
        if (tensors == null) throw new IllegalArgumentException(file + ": tensors map is null");
        byte[] header = header(file, tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        // unlike checkpoints and reports, an export names its folder itself: a missing one is a typo, not a run to lay out
        if (!Files.isDirectory(dir))
            throw new NoSuchFileException(dir.toString(), null, "the folder to write " + file.getFileName() + " into does not exist");
        AtomicFiles.write(file.toAbsolutePath(), out -> {
            byte[] len = new byte[8];
            ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            out.write(len);
            out.write(header);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorData t : tensors.values()) writeData(out, chunk, t.data());
        });
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

    private static void writeData(OutputStream out, ByteBuffer chunk, float[] data) throws IOException {
        for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, data.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(data, from, n);
            out.write(chunk.array(), 0, 4 * n);
        }
    }
}
