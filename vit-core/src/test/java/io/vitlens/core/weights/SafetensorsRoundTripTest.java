package io.vitlens.core.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vitlens.core.weights.SafetensorsBytes.concat;
import static io.vitlens.core.weights.SafetensorsBytes.f32;
import static io.vitlens.core.weights.SafetensorsBytes.f64;
import static io.vitlens.core.weights.SafetensorsBytes.image;
import static io.vitlens.core.weights.SafetensorsBytes.le64;
import static io.vitlens.core.weights.SafetensorsBytes.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsRoundTripTest {

    @TempDir Path dir;

    @Test
    void roundTripKeepsShapesBitExactValuesMetadataAndOrder() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        // deliberately not alphabetical: the file must keep this order
        tensors.put("z.weight", new TensorData(new long[]{2, 3},
                new float[]{1f, -2.5f, Float.MIN_VALUE, -0.0f, Float.MAX_VALUE, 3.1415927f}));
        tensors.put("a.special", new TensorData(new long[]{4},
                new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)}));
        tensors.put("empty", new TensorData(new long[]{0, 5}, new float[0]));
        tensors.put("scalar", new TensorData(new long[]{}, new float[]{42f}));
        tensors.put("m.bias", new TensorData(new long[]{1, 1, 3}, new float[]{7f, 8f, 9f}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("image_size", "32");
        metadata.put("class_names", "chat,çà,\"quoted\",日本");
        metadata.put("empty", "");

        Path p = dir.resolve("model.safetensors");
        Safetensors.write(p, tensors, metadata);
        SafetensorsFile back = Safetensors.read(p);

        assertEquals(List.of("z.weight", "a.special", "empty", "scalar", "m.bias"), List.copyOf(back.tensors().keySet()));
        for (String name : tensors.keySet()) {
            assertArrayEquals(tensors.get(name).shape(), back.tensors().get(name).shape(), name);
            assertArrayEquals(rawBits(tensors.get(name).data()), rawBits(back.tensors().get(name).data()), name);
        }
        assertEquals(metadata, back.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(back.metadata().keySet()));
    }

    /**
     * The reference implementation's own serialisation test vector (huggingface/safetensors
     * tensor.rs, test_serialization_forced_alignement): one F32 tensor "attn0" [1,1,2,3] = 0..5
     * gives a 65-byte JSON header padded with 7 spaces to 72.
     */
    @Test
    void writerProducesTheReferenceBytes() throws IOException {
        String json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(65, json.length());
        byte[] expected = concat(le64(72), (json + "       ").getBytes(StandardCharsets.US_ASCII),
                new byte[]{0, 0, 0, 0, 0, 0, (byte) 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0,
                        (byte) 160, 64});

        Path p = dir.resolve("ref.safetensors");
        Safetensors.write(p, Map.of("attn0", new TensorData(new long[]{1, 1, 2, 3}, new float[]{0, 1, 2, 3, 4, 5})),
                null);
        assertArrayEquals(expected, Files.readAllBytes(p));
    }

    /** Reference vector test_empty: no tensors, metadata {"framework": "pt"}, 35 bytes padded to 40. */
    @Test
    void writerProducesTheReferenceBytesForMetadataOnly() throws IOException {
        byte[] expected = concat(le64(40), "{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("meta.safetensors");
        Safetensors.write(p, Map.of(), Map.of("framework", "pt"));
        assertArrayEquals(expected, Files.readAllBytes(p));
        SafetensorsFile back = Safetensors.read(p);
        assertTrue(back.tensors().isEmpty());
        assertEquals(Map.of("framework", "pt"), back.metadata());
    }

    @Test
    void readsAHandBuiltFileInDataOrderWhateverTheHeaderOrder() throws IOException {
        // "b" is listed first in the JSON but its data comes second; metadata sits in the middle.
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]},"
                + "\"__metadata__\":{\"k\":\"v\"},"
                + " \"a\" : {\"shape\":[3,1],\"data_offsets\":[0,12],\"dtype\":\"F32\"}}   ";
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, 0.5f = 0x3F000000, 10f = 0x41200000, 2^-149 = 0x00000001
        byte[] data = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0, 0, 0, 0, 0x3f,
                0, 0, 0x20, 0x41, 1, 0, 0, 0};
        SafetensorsFile f = Safetensors.read(SafetensorsBytes.write(dir, "hand.safetensors", image(header, data)));

        assertEquals(List.of("a", "b"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new long[]{3, 1}, f.tensors().get("a").shape());
        assertArrayEquals(new float[]{1.0f, -2.0f, 0.5f}, f.tensors().get("a").data());
        assertArrayEquals(new long[]{2}, f.tensors().get("b").shape());
        assertArrayEquals(new float[]{10f, Float.MIN_VALUE}, f.tensors().get("b").data());
        assertEquals(Map.of("k", "v"), f.metadata());
    }

    @Test
    void convertsHalfBfloatAndDoubleToFloat() throws IOException {
        // F16: 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (max), 0x0001 = 2^-24 (smallest subnormal),
        //      0x8000 = -0, 0x7C00 = +inf, 0x3555 = 0.333251953125
        // BF16: 0x3F80 = 1, 0xC0A0 = -5, 0x4049 = 3.140625
        // F64: 0.1 rounds to the float nearest 0.1
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[0,14]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[14,20]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[20,36]}}";
        byte[] data = concat(u16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00, 0x3555), u16(0x3F80, 0xC0A0, 0x4049),
                f64(0.1, -1e300));
        SafetensorsFile f = Safetensors.read(SafetensorsBytes.write(dir, "dtypes.safetensors", image(header, data)));

        assertArrayEquals(rawBits(new float[]{1f, -2f, 65504f, (float) Math.pow(2, -24), -0.0f,
                Float.POSITIVE_INFINITY, 0.333251953125f}), rawBits(f.tensors().get("h").data()));
        assertArrayEquals(new float[]{1f, -5f, 3.140625f}, f.tensors().get("b").data());
        assertArrayEquals(new float[]{0.1f, Float.NEGATIVE_INFINITY}, f.tensors().get("d").data());
        assertTrue(Float.isNaN(SafetensorsDtype.halfToFloat((short) 0x7E00)));
    }

    @Test
    void largeTensorCrossesChunkBoundaries() throws IOException {
        int n = (1 << 18) * 2 + 123;   // more than two writer chunks and one reader chunk
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.25f - 7f;
        Path p = dir.resolve("big.safetensors");
        Safetensors.write(p, Map.of("w", new TensorData(new long[]{n}, v)), Map.of());
        // {"w":{"dtype":"F32","shape":[524411],"data_offsets":[0,2097644]}} is 65 bytes, padded to 72
        assertEquals(8 + 72 + 4L * n, Files.size(p));
        assertArrayEquals(v, Safetensors.read(p).tensors().get("w").data());
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        Safetensors.write(p, Map.of("w", new TensorData(new long[]{1}, new float[]{1f})), Map.of("v", "1"));
        Safetensors.write(p, Map.of("w", new TensorData(new long[]{2}, new float[]{2f, 3f})), Map.of("v", "2"));
        SafetensorsFile f = Safetensors.read(p);
        assertArrayEquals(new float[]{2f, 3f}, f.tensors().get("w").data());
        assertEquals("2", f.metadata().get("v"));
        assertEquals(List.of(p), listDir());
    }

    @Test
    void failedWriteLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        Safetensors.write(p, Map.of("w", new TensorData(new long[]{1}, new float[]{1f})), Map.of());
        byte[] before = Files.readAllBytes(p);

        // a map whose data cannot be produced after the header was written: the write fails midway
        Map<String, TensorData> failing = new LinkedHashMap<>() {
            @Override public Collection<TensorData> values() {
                Iterator<TensorData> it = super.values().iterator();
                return new java.util.AbstractCollection<>() {
                    @Override public Iterator<TensorData> iterator() {
                        return new Iterator<>() {
                            int served;
                            @Override public boolean hasNext() { return it.hasNext(); }
                            @Override public TensorData next() {
                                if (served++ == 1) throw new IllegalStateException("simulated failure mid-write");
                                return it.next();
                            }
                        };
                    }
                    @Override public int size() { return 2; }
                };
            }
        };
        failing.put("a", new TensorData(new long[]{3}, new float[]{1, 2, 3}));
        failing.put("b", new TensorData(new long[]{1}, new float[]{4}));

        assertThrows(IllegalStateException.class, () -> Safetensors.write(p, failing, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of(p), listDir());
    }

    @Test
    void writingIntoAMissingDirectoryFailsWithoutCreatingAnything() {
        Path p = dir.resolve("no-such-dir").resolve("x.safetensors");
        assertThrows(IOException.class,
                () -> Safetensors.write(p, Map.of("w", new TensorData(new long[]{1}, new float[]{1f})), Map.of()));
        assertTrue(Files.notExists(p.getParent()));
    }

    @Test
    void writerRejectsReservedNamesAndNullMetadata() {
        Path p = dir.resolve("bad.safetensors");
        TensorData t = new TensorData(new long[]{1}, new float[]{1f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(p, Map.of("__metadata__", t), Map.of()));
        assertTrue(e.getMessage().contains("__metadata__") && e.getMessage().contains(p.toString()), e.getMessage());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("mean", null);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(p, Map.of("w", t), meta));
        assertTrue(e.getMessage().contains("mean"), e.getMessage());
        assertTrue(Files.notExists(p));
    }

    @Test
    void tensorDataChecksShapeAgainstData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData(new long[]{2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("6") && e.getMessage().contains("5"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TensorData(new long[]{-1, 0}, new float[0]));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertEquals(1, new TensorData(new long[]{}, new float[]{3f}).numel());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static int[] rawBits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }
}
