package io.vitlens.core.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutations of a valid file: each must read or fail with {@link SafetensorsFormatException},
 * never with another exception, a hang or an out-of-memory error.
 */
class SafetensorsFuzzTest {

    private static final int CASES = 600;

    @TempDir Path dir;

    @Test
    void mutatedFilesReadOrFailWithTheDocumentedException() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("blocks.0.attn.qkv.weight", new TensorData(new long[]{6, 2}, new float[12]));
        tensors.put("cls_token", new TensorData(new long[]{1, 1, 2}, new float[]{0.5f, -1f}));
        tensors.put("head.bias", new TensorData(new long[]{3}, new float[]{1f, 2f, 3f}));
        Path valid = dir.resolve("valid.safetensors");
        Safetensors.write(valid, tensors, Map.of("dim", "2", "heads", "1"));
        byte[] original = Files.readAllBytes(valid);
        int headerEnd = 8 + (int) ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

        int[] outcomes = new int[2];   // [read, rejected]
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rnd = new Random(20240611L);
            for (int c = 0; c < CASES; c++) {
                byte[] mutated = mutate(original, headerEnd, rnd);
                Path p = dir.resolve("case.safetensors");
                Files.write(p, mutated);
                try {
                    SafetensorsFile f = Safetensors.read(p);
                    for (TensorData t : f.tensors().values()) assertEquals(product(t.shape()), t.data().length);
                    outcomes[0]++;
                } catch (SafetensorsFormatException expected) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    fail("case " + c + " threw " + t + " for bytes " + Arrays.toString(mutated), t);
                }
            }
        });
        // both outcomes must occur, or the mutations are not exercising the reader
        if (outcomes[0] == 0 || outcomes[1] == 0) fail("degenerate fuzz outcomes " + Arrays.toString(outcomes));
    }

    /** One of several mutation kinds, aimed mostly at the header where the parsing happens. */
    private static byte[] mutate(byte[] in, int headerEnd, Random rnd) {
        byte[] b = in.clone();
        switch (rnd.nextInt(7)) {
            case 0 -> {   // flip random bits anywhere
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 1 -> {   // random bytes inside the header
                for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) b[8 + rnd.nextInt(headerEnd - 8)] = (byte) rnd.nextInt(256);
            }
            case 2 -> {   // change a digit in the header: shapes and offsets
                int[] digits = java.util.stream.IntStream.range(8, headerEnd).filter(i -> Character.isDigit(b[i])).toArray();
                b[digits[rnd.nextInt(digits.length)]] = (byte) ('0' + rnd.nextInt(10));
            }
            case 3 -> {   // truncate
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            case 4 -> {   // append bytes
                byte[] out = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(16));
                for (int i = b.length; i < out.length; i++) out[i] = (byte) rnd.nextInt(256);
                return out;
            }
            case 5 -> {   // corrupt the length field
                long v = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> rnd.nextInt(in.length + 16);
                    default -> headerEnd - 8 + rnd.nextInt(9) - 4;
                };
                ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
            }
            default -> {   // delete a byte range
                int from = rnd.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rnd.nextInt(8));
                byte[] out = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, b.length - to);
                return out;
            }
        }
        return b;
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
