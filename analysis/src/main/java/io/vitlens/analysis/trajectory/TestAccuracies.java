package io.vitlens.analysis.trajectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Top-1 test accuracy per epoch from a run's metrics.jsonl ({@code {"epoch": 3, "testAccuracy": 0.61, ...}} per
 * line). Lenient: the trajectory only leaves a cell blank where a line is missing or unreadable (C12 reports a
 * broken file); a resumed run's later line for an epoch wins.
 */
public final class TestAccuracies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAccuracies() { }

    /** Epoch -> accuracy in [0, 1]; empty when {@code metricsJsonl} is null or absent. */
    public static Map<Integer, Double> read(Path metricsJsonl) throws IOException {
        Map<Integer, Double> out = new TreeMap<>();
        if (metricsJsonl == null || !Files.isRegularFile(metricsJsonl)) return out;
        try (BufferedReader r = Files.newBufferedReader(metricsJsonl, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    continue;
                }
                if (node == null) continue;
                JsonNode epoch = node.get("epoch"), acc = node.get("testAccuracy");
                if (epoch != null && epoch.canConvertToInt() && acc != null && acc.isNumber()
                        && Double.isFinite(acc.doubleValue()))
                    out.put(epoch.intValue(), acc.doubleValue());
            }
        }
        return out;
    }
}
