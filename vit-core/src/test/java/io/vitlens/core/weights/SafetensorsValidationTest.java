package io.vitlens.core.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static io.vitlens.core.weights.SafetensorsBytes.concat;
import static io.vitlens.core.weights.SafetensorsBytes.f32;
import static io.vitlens.core.weights.SafetensorsBytes.image;
import static io.vitlens.core.weights.SafetensorsBytes.le64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per way a file can be broken: each must fail with a message naming the file and the problem. */
class SafetensorsValidationTest {

    @TempDir Path dir;

    private static final String A_OK = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        expectFailure(new byte[]{1, 2, 3, 4, 5}, "5 bytes", "shorter than the 8-byte");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        expectFailure(concat(le64(1000), "{}".getBytes()), "header length 1000", "larger than the 2 bytes");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        expectFailure(concat(le64(1L << 40), "{}".getBytes()), "header length 1099511627776", "100000000");
        // top bit set: an unsigned 64-bit value, reported as such rather than as a negative number
        expectFailure(concat(le64(-1L), "{}".getBytes()), "header length 18446744073709551615", "limit");
    }

    @Test
    void headerIsNotJson() throws IOException {
        expectFailure(image("{\"a\": {", new byte[0]), "header is not valid JSON");
        expectFailure(image("{} trailing", new byte[0]), "header is not valid JSON");
        expectFailure(concat(le64(2), new byte[]{(byte) '"', (byte) 0xff}), "header is not valid JSON");
    }

    @Test
    void headerIsNotAnObject() throws IOException {
        expectFailure(image("[1, 2]", new byte[0]), "header is a JSON ARRAY", "expected a JSON object");
        expectFailure(image("        ", new byte[0]), "header is empty", "expected a JSON object");
    }

    @Test
    void duplicateTensorName() throws IOException {
        expectFailure(image("{" + A_OK + "," + A_OK + "}", f32(1, 2)), "header is not valid JSON", "Duplicate field 'a'");
    }

    @Test
    void entryIsNotAnObject() throws IOException {
        expectFailure(image("{\"a\":[0,8]}", f32(1, 2)), "tensor 'a'", "ARRAY", "expected an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtype", "shape", "data_offsets"})
    void entryMissingAField(String field) throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"
                .replaceFirst("\"" + field + "\":(\"F32\"|\\[[0-9,]*\\]),?", "").replace(",}", "}");
        assertTrue(!entry.contains(field), entry);
        expectFailure(image("{\"a\":" + entry + "}", f32(1, 2)), "tensor 'a'", "missing field '" + field + "'");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        expectFailure(image("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'ids'", "dtype I64 is not supported", "only F32 is supported");
        expectFailure(image("{\"a\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2)),
                "tensor 'a'", "dtype is a JSON NUMBER");
    }

    @Test
    void negativeOrNonIntegerDimension() throws IOException {
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", f32(1, 2)),
                "tensor 'a'", "shape[1] is -1", "non-negative integer");
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", f32(1, 2)),
                "tensor 'a'", "shape[0] is 2.0");
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}",
                f32(1, 2)), "tensor 'a'", "shape[0] is 99999999999999999999");
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", f32(1, 2)),
                "tensor 'a'", "shape is a JSON NUMBER");
    }

    @Test
    void offsetsOutsideTheDataSection() throws IOException {
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", f32(1, 2)),
                "tensor 'a'", "[4, 12]", "outside the data section of 8 bytes");
    }

    @Test
    void offsetsEndBeforeBegin() throws IOException {
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", f32(1, 2)),
                "tensor 'a'", "end 0 is before begin 8");
    }

    @Test
    void offsetsMalformed() throws IOException {
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", f32(1, 2)),
                "tensor 'a'", "data_offsets is [0,8,16]", "expected [begin, end]");
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", f32(1, 2)),
                "tensor 'a'", "data_offsets[0] (begin) is -8");
    }

    @Test
    void byteLengthDisagreesWithShape() throws IOException {
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", f32(1, 2)),
                "tensor 'a'", "shape [3] of dtype F32 needs 12 bytes", "span 8");
        // a shape whose byte count overflows 64 bits must not wrap around to a "matching" size
        expectFailure(image("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}",
                new byte[0]), "tensor 'a'", "more than 2^63");
    }

    @Test
    void overlappingTensors() throws IOException {
        expectFailure(image("{" + A_OK + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                f32(1, 2, 3)), "tensor 'b'", "overlap tensor 'a'", "ends at 8");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        expectFailure(image("{" + A_OK + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}",
                f32(1, 2, 3, 4)), "tensor 'b'", "gap of 4 bytes after tensor 'a'");
        expectFailure(image("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f32(1, 2)),
                "tensor 'b'", "gap of 4 bytes after the start of the data section");
    }

    @Test
    void trailingBytesAfterTheLastTensor() throws IOException {
        expectFailure(image("{" + A_OK + "}", f32(1, 2, 3)), "data section has 12 bytes", "cover only 8",
                "4 trailing bytes");
    }

    @Test
    void nonStringMetadata() throws IOException {
        expectFailure(image("{\"__metadata__\":{\"depth\":6}," + A_OK + "}", f32(1, 2)),
                "metadata value __metadata__.depth", "NUMBER", "expected a string");
        expectFailure(image("{\"__metadata__\":{\"mean\":[0.5,0.5]}," + A_OK + "}", f32(1, 2)),
                "__metadata__.mean", "ARRAY");
        expectFailure(image("{\"__metadata__\":\"pt\"," + A_OK + "}", f32(1, 2)),
                "header field __metadata__ is a JSON STRING");
    }

    @Test
    void missingFileIsAPlainIoException() {
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(dir.resolve("absent.safetensors")));
        assertTrue(!(e instanceof SafetensorsFormatException), "a missing file is not a format error: " + e);
    }

    private void expectFailure(byte[] bytes, String... fragments) throws IOException {
        Path p = SafetensorsBytes.write(dir, "bad.safetensors", bytes);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), "message names the file: " + e.getMessage());
        assertEquals(p, e.file());
        for (String f : fragments)
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
    }
}
