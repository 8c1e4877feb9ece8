package io.vitlens.core.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes the safetensors file format (https://github.com/huggingface/safetensors), the
 * format timm and the Hugging Face hub use for weights:
 * <pre>
 *   8 bytes   N, unsigned little-endian 64-bit: the length of the header
 *   N bytes   UTF-8 JSON object, padded with spaces to a multiple of 8:
 *             {"__metadata__": {"key": "value", ...},      (optional, string values only)
 *              "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 *   rest      the data section: each tensor's row-major little-endian bytes at [begin, end)
 *             relative to the start of the data section; tensors tile it without gaps or overlap
 * </pre>
 *
 * <p>Reading validates everything the reference implementation validates (header length at most
 * 100,000,000 bytes and within the file, JSON object, offsets contiguous from 0 to the end of the
 * file, byte length = product(shape) * element size) plus field types, and throws
 * {@link SafetensorsFormatException} naming the file and the offending tensor or field. Accepted
 * dtypes: F32, and F16 / BF16 / F64 converted to float32 (see {@link SafetensorsDtype}); any
 * other dtype is rejected by name.
 *
 * <p>Writing is atomic: the file appears complete under its name or not at all (temporary file
 * in the same directory, fsync, atomic rename), so a crash during a checkpoint never leaves a
 * truncated weights file behind.
 */
public final class Safetensors {

    /** The reference implementation's limit on the header length, in bytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key holding the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private Safetensors() {}

    /**
     * Reads a whole safetensors file.
     *
     * @return the tensors in the order of their data in the file, and the metadata (empty if absent)
     * @throws SafetensorsFormatException if the file is not a valid safetensors file of supported dtypes
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        return SafetensorsReader.read(file);
    }

    /**
     * Writes {@code tensors} (as F32, in the map's iteration order) and {@code metadata} to
     * {@code file}, atomically replacing any existing file.
     *
     * @param metadata string-to-string metadata; null or empty writes no {@code __metadata__}
     * @throws IllegalArgumentException if a tensor name is null or {@value #METADATA_KEY}, or a
     *                                  metadata key or value is null
     * @throws IOException              if the file cannot be written; the target is then unchanged
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        SafetensorsWriter.write(file, tensors, metadata);
    }
}
