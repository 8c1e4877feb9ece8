package io.vitlens.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vitlens.core.io.AtomicFiles;
import io.vitlens.training.checkpoint.WriteFailedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Appends one JSON object per epoch to {@code metrics.jsonl} and one row to {@code metrics.csv}. On resume,
 * lines of epochs after the resumed checkpoint are dropped first, so the files describe exactly one history.
 */
public final class MetricsWriter {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    private final Path jsonl;
    private final Path csv;

    public MetricsWriter(Path jsonl, Path csv) {
        this.jsonl = jsonl;
        this.csv = csv;
    }

    /**
     * @throws WriteFailedException naming the file when it cannot be appended to; lines of earlier epochs stay
     *                              (a line cut short by a crash is dropped by {@link #truncateAfter} on resume)
     */
    public void append(EpochMetrics m) throws IOException {
        appendTo(jsonl, JSON.writeValueAsString(m) + "\n", m.epoch());
        boolean header = !Files.isRegularFile(csv) || Files.size(csv) == 0;
        StringBuilder b = new StringBuilder();
        if (header) b.append(csvHeader(m)).append('\n');
        b.append(String.format(Locale.ROOT, "%d,%d,%.6g,%.6g,%.6f,%.6g,%.2f,%.2f,%.6g", m.epoch(), m.step(), m.trainLoss(),
                m.testLoss(), m.testAccuracy(), m.lr(), m.imagesPerSecond(), m.epochSeconds(), m.gradNormGlobal()));
        for (double v : m.gradNorms().values()) b.append(String.format(Locale.ROOT, ",%.6g", v));
        if (m.emaTestAccuracy() != null)   // last, so that the columns of runs without an average keep their places
            b.append(String.format(Locale.ROOT, ",%.6g,%.6f", m.emaTestLoss(), m.emaTestAccuracy()));
        b.append('\n');
        appendTo(csv, b.toString(), m.epoch());
    }

    private static void appendTo(Path file, String text, int epoch) throws WriteFailedException {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new WriteFailedException(file, "cannot append the metrics of epoch " + epoch + " to " + file + ": "
                    + WriteFailedException.describe(e), e);
        }
    }

    private static String csvHeader(EpochMetrics m) {
        StringBuilder b = new StringBuilder("epoch,step,train_loss,test_loss,test_accuracy,lr,images_per_second,epoch_seconds,grad_norm_global");
        for (String g : m.gradNorms().keySet()) b.append(",grad_norm:").append(g);
        if (m.emaTestAccuracy() != null) b.append(",ema_test_loss,ema_test_accuracy");
        return b.toString();
    }

    /** Keeps only the epochs <= {@code epoch} (atomically rewritten). */
    public void truncateAfter(int epoch) throws IOException {
        List<String> keep = new ArrayList<>();
        if (Files.exists(jsonl)) {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    break;   // a line cut by a crash ends the usable history
                }
                if (n.path("epoch").asInt(Integer.MAX_VALUE) <= epoch) keep.add(line);
            }
        }
        AtomicFiles.writeString(jsonl, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
        if (Files.exists(csv)) {
            List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                String r = rows.get(i);
                if (i == 0) {
                    out.add(r);
                    continue;
                }
                try {
                    if (Integer.parseInt(r.substring(0, r.indexOf(','))) <= epoch) out.add(r);
                } catch (RuntimeException e) {
                    break;
                }
            }
            AtomicFiles.writeString(csv, out.size() <= 1 ? "" : String.join("\n", out) + "\n");
        }
    }

    /** Reads every line back (for reports and tests). */
    public static List<Map<String, Object>> read(Path jsonl) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) out.add(JSON.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<>() {}));
        }
        return out;
    }
}
