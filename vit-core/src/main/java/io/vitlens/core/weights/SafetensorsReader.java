package io.vitlens.core.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a safetensors file; see {@link Safetensors}. Every size is checked against
 * the file's length before anything is allocated, so a corrupt file cannot cause an
 * {@link OutOfMemoryError} beyond the file's own size.
 */
final class SafetensorsReader {

    /** Data is decoded through a buffer of this size. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One header entry, validated on its own; byte offsets relative to the data section. */
    private record Entry(String name, SafetensorsDtype dtype, long[] shape, int numel, long begin, long end) {}

    private final Path file;

    private SafetensorsReader(Path file) { this.file = file; }

    static SafetensorsFile read(Path file) throws IOException {
        return new SafetensorsReader(file).read();
    }

    private SafetensorsFile read() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8)
                throw fail("file is " + size + " bytes, shorter than the 8-byte header length field");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 0 || n > Safetensors.MAX_HEADER_BYTES)
                throw fail("header length " + Long.toUnsignedString(n) + " exceeds the " + Safetensors.MAX_HEADER_BYTES
                        + "-byte limit; not a safetensors file?");
            if (n > size - 8)
                throw fail("header length " + n + " is larger than the " + (size - 8)
                        + " bytes that follow the length field; file truncated?");
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8);
            JsonNode root = parseJson(headerBuf.array());
            long dataStart = 8 + n;
            long dataLength = size - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals(Safetensors.METADATA_KEY)) metadata = metadata(f.getValue());
                else entries.add(entry(f.getKey(), f.getValue(), dataLength));
            }
            checkTiling(entries, dataLength);

            Map<String, TensorData> tensors = new LinkedHashMap<>();
            for (Entry e : entries) tensors.put(e.name(), new TensorData(e.shape(), data(ch, dataStart, e)));
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private JsonNode parseJson(byte[] header) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw fail("header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw fail("header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject())
            throw fail("header is " + (root == null || root.isMissingNode() ? "empty" : "a JSON " + root.getNodeType())
                    + ", expected a JSON object");
        return root;
    }

    private Map<String, String> metadata(JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject())
            throw fail("header field " + Safetensors.METADATA_KEY + " is a JSON " + node.getNodeType()
                    + ", expected an object of string values");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual())
                throw fail("metadata value " + Safetensors.METADATA_KEY + "." + f.getKey() + " is a JSON "
                        + f.getValue().getNodeType() + " (" + abbreviate(f.getValue().toString())
                        + "), expected a string");
            out.put(f.getKey(), f.getValue().textValue());
        }
        return out;
    }

    private Entry entry(String name, JsonNode node, long dataLength) throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject())
            throw fail(where + ": entry is a JSON " + node.getNodeType()
                    + ", expected an object with dtype, shape and data_offsets");
        JsonNode dtypeNode = required(node, where, "dtype");
        JsonNode shapeNode = required(node, where, "shape");
        JsonNode offsetsNode = required(node, where, "data_offsets");

        if (!dtypeNode.isTextual()) throw fail(where + ": dtype is a JSON " + dtypeNode.getNodeType() + ", expected a string");
        SafetensorsDtype dtype = SafetensorsDtype.parse(dtypeNode.textValue());
        if (dtype == null)
            throw fail(where + ": dtype " + dtypeNode.textValue() + " is not supported; only F32 is supported"
                    + " (F16, BF16 and F64 are converted to F32 on load; known: " + SafetensorsDtype.known() + ")");

        if (!shapeNode.isArray()) throw fail(where + ": shape is a JSON " + shapeNode.getNodeType() + ", expected an array");
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), where + ": shape[" + i + "]");
            numel = TensorData.multiplyOrMinusOne(numel, shape[i]);
        }
        long bytes = TensorData.multiplyOrMinusOne(numel, dtype.bytes());

        if (!offsetsNode.isArray() || offsetsNode.size() != 2)
            throw fail(where + ": data_offsets is " + abbreviate(offsetsNode.toString()) + ", expected [begin, end]");
        long begin = nonNegativeLong(offsetsNode.get(0), where + ": data_offsets[0] (begin)");
        long end = nonNegativeLong(offsetsNode.get(1), where + ": data_offsets[1] (end)");
        if (end < begin) throw fail(where + ": data_offsets end " + end + " is before begin " + begin);
        if (end > dataLength)
            throw fail(where + ": data_offsets [" + begin + ", " + end + "] reach outside the data section of "
                    + dataLength + " bytes");
        if (bytes < 0 || bytes != end - begin)
            throw fail(where + ": shape " + shapeNode + " of dtype " + dtype + " needs "
                    + (bytes < 0 ? "more than 2^63" : Long.toString(bytes)) + " bytes but data_offsets [" + begin + ", "
                    + end + "] span " + (end - begin));
        if (numel > Integer.MAX_VALUE - 8)
            throw fail(where + ": " + numel + " elements do not fit in one Java array");
        return new Entry(name, dtype, shape, (int) numel, begin, end);
    }

    /** The tensors must tile the data section [0, dataLength) exactly, as the reference reader demands. */
    private void checkTiling(List<Entry> entries, long dataLength) throws SafetensorsFormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : entries) {
            if (e.begin() < expected)
                throw fail("tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap tensor '" + previous + "', which ends at " + expected);
            if (e.begin() > expected)
                throw fail("tensor '" + e.name() + "': data_offsets begin " + e.begin() + " leaves a gap of "
                        + (e.begin() - expected) + " bytes after " + (previous == null ? "the start of the data section"
                        : "tensor '" + previous + "'") + " (ends at " + expected + ")");
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataLength)
            throw fail("the data section has " + dataLength + " bytes but the tensors cover only " + expected
                    + "; " + (dataLength - expected) + " trailing bytes belong to no tensor");
    }

    private float[] data(FileChannel ch, long dataStart, Entry e) throws IOException {
        float[] out = new float[e.numel()];
        int perChunk = CHUNK_BYTES / e.dtype().bytes();
        ByteBuffer buf = ByteBuffer.allocate(perChunk * e.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < out.length; from += perChunk) {
            int count = Math.min(perChunk, out.length - from);
            buf.clear().limit(count * e.dtype().bytes());
            readFully(ch, buf, dataStart + e.begin() + (long) from * e.dtype().bytes());
            buf.flip();
            e.dtype().decode(buf, out, from, count);
        }
        return out;
    }

    private JsonNode required(JsonNode entry, String where, String field) throws SafetensorsFormatException {
        JsonNode v = entry.get(field);
        if (v == null || v.isNull()) throw fail(where + ": missing field '" + field + "'");
        return v;
    }

    private long nonNegativeLong(JsonNode v, String what) throws SafetensorsFormatException {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong())
            throw fail(what + " is " + (v == null ? "missing" : abbreviate(v.toString()))
                    + ", expected a non-negative integer");
        long x = v.longValue();
        if (x < 0) throw fail(what + " is " + x + ", expected a non-negative integer");
        return x;
    }

    private void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw fail("unexpected end of file at byte " + pos + " (file changed while reading?)");
            pos += r;
        }
    }

    private SafetensorsFormatException fail(String problem) {
        return new SafetensorsFormatException(file, problem);
    }

    private SafetensorsFormatException fail(String problem, Throwable cause) {
        return new SafetensorsFormatException(file, problem, cause);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
