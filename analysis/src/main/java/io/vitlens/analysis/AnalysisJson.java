package io.vitlens.analysis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads and writes analysis.json. Non-finite numbers (an undefined correlation, a 0/0 share) are
 * written as JSON {@code null}, which strict JSON readers accept, and read back as NaN. Files are
 * written to a temporary sibling and moved into place, so a crash never leaves a half-written file.
 */
public final class AnalysisJson {

    public static final String FILE_NAME = "analysis.json";
    private static final ObjectMapper MAPPER = createMapper();

    private AnalysisJson() { }

    /** The configured mapper (for callers that embed analysis objects in their own JSON). */
    public static ObjectMapper mapper() { return MAPPER; }

    public static AnalysisResult read(Path file) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), AnalysisResult.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a valid analysis.json (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Writes {@code r} to {@code file} atomically (temp file in the same directory, then rename). */
    public static void write(AnalysisResult r, Path file) throws IOException {
        writeAtomically(file, MAPPER.writeValueAsBytes(r));
    }

    /** Writes bytes to a sibling temp file and moves it over {@code file}. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a unique sibling (same file system, so the rename is atomic) with the umask's usual permissions
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ObjectMapper createMapper() {
        SimpleModule nonFinite = new SimpleModule("non-finite-as-null");
        nonFinite.addSerializer(Double.class, new DoubleSerializer());
        nonFinite.addSerializer(Double.TYPE, new DoubleSerializer());
        nonFinite.addSerializer(double[].class, new DoubleArraySerializer());
        nonFinite.addDeserializer(Double.TYPE, new NanDoubleDeserializer());
        nonFinite.addDeserializer(double[].class, new DoubleArrayDeserializer());
        return new ObjectMapper()
                .registerModule(nonFinite)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static final class DoubleSerializer extends StdSerializer<Double> {
        DoubleSerializer() { super(Double.class); }

        @Override public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v == null || !Double.isFinite(v)) g.writeNull();
            else g.writeNumber(v);
        }
    }

    private static final class DoubleArraySerializer extends StdSerializer<double[]> {
        DoubleArraySerializer() { super(double[].class); }

        @Override public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartArray(v, v.length);
            for (double x : v) {
                if (Double.isFinite(x)) g.writeNumber(x);
                else g.writeNull();
            }
            g.writeEndArray();
        }
    }

    /** A primitive double that may be null in the file: NaN. */
    private static final class NanDoubleDeserializer extends StdDeserializer<Double> {
        NanDoubleDeserializer() { super(Double.TYPE); }

        @Override public Double deserialize(JsonParser p, DeserializationContext c) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) return Double.NaN;
            if (p.currentToken() == JsonToken.VALUE_STRING) return Double.parseDouble(p.getText());
            return p.getDoubleValue();
        }

        @Override public Double getNullValue(DeserializationContext c) { return Double.NaN; }
    }

    private static final class DoubleArrayDeserializer extends StdDeserializer<double[]> {
        DoubleArrayDeserializer() { super(double[].class); }

        @Override public double[] deserialize(JsonParser p, DeserializationContext c) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY)
                return (double[]) c.handleUnexpectedToken(double[].class, p);
            List<Double> values = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_NULL) values.add(Double.NaN);
                else if (t == JsonToken.VALUE_STRING) values.add(Double.parseDouble(p.getText()));
                else values.add(p.getDoubleValue());
            }
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) out[i] = values.get(i);
            return out;
        }
    }
}
