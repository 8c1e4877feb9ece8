package io.vitlens.analysis.claims;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.analysis.GradientFlowStats;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.model.ParameterTable;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the per-epoch gradient norms of claim C12 from a run's metrics.jsonl: one JSON object per
 * line with {@code "gradNorms": {"patch_embed": x, "pos_embed": x, "cls_token": x,
 * "blocks.0.attn.q": x, ...}} and optionally {@code "epoch"}. Lines without gradNorms are skipped.
 *
 * <p>A group vanishes in an epoch when its norm is 0 or below {@link #VANISHING_RATIO} times the
 * median norm of the trainable groups in that epoch: the diagnostic seed 000 needed, where a
 * detached parameter silently received no gradient. Groups the configuration does not train
 * ({@link ParameterTable#frozenGroups}: the sincos2d table, an identity value projection, K tied to Q)
 * are reported as frozen instead.
 */
public final class GradientFlowReader {

    public static final double VANISHING_RATIO = 1e-8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GradientFlowReader() { }

    public static GradientFlowStats read(Path metricsJsonl, ModelSummary model) throws IOException {
        List<Integer> epochs = new ArrayList<>();
        List<Map<String, Double>> lines = new ArrayList<>();
        Set<String> groups = new TreeSet<>(GradientFlowReader::compareGroups);
        try (BufferedReader r = Files.newBufferedReader(metricsJsonl, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(metricsJsonl + ":" + number + ": not a JSON object: " + e.getOriginalMessage());
                }
                JsonNode g = node.get("gradNorms");
                if (g == null || g.isNull()) continue;
                if (!g.isObject())
                    throw new IllegalArgumentException(metricsJsonl + ":" + number + ": gradNorms is " + g.getNodeType()
                            + ", expected an object of group name -> norm");
                Map<String, Double> norms = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    norms.put(e.getKey(), number(e.getValue(), metricsJsonl, number, e.getKey()));
                    groups.add(e.getKey());
                }
                JsonNode epoch = node.get("epoch");
                epochs.add(epoch != null && epoch.canConvertToInt() ? epoch.asInt() : number);
                lines.add(norms);
            }
        }
        if (lines.isEmpty())
            throw new IllegalArgumentException(metricsJsonl + ": no line carries \"gradNorms\"; expected one JSON object"
                    + " per epoch with gradNorms {group: norm}");

        Set<String> frozen = new TreeSet<>(GradientFlowReader::compareGroups);
        Set<String> frozenByDesign = frozenByDesign(model);
        for (String group : groups) if (frozenByDesign.contains(group)) frozen.add(group);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String group : groups) {
            List<Double> s = new ArrayList<>(lines.size());
            for (Map<String, Double> l : lines) s.add(l.get(group));
            series.put(group, s);
        }
        Set<String> vanishing = new TreeSet<>(GradientFlowReader::compareGroups);
        Set<String> nonFinite = new TreeSet<>(GradientFlowReader::compareGroups);
        for (Map<String, Double> l : lines) {
            double median = median(l, frozen);
            for (Map.Entry<String, Double> e : l.entrySet()) {
                Double v = e.getValue();
                if (v == null || frozen.contains(e.getKey())) continue;
                if (!Double.isFinite(v)) nonFinite.add(e.getKey());
                else if (v == 0.0 || v < VANISHING_RATIO * median) vanishing.add(e.getKey());
            }
        }
        return new GradientFlowStats(metricsJsonl.toString(), epochs, series, VANISHING_RATIO,
                List.copyOf(vanishing), List.copyOf(nonFinite), List.copyOf(frozen));
    }

    /** Groups a model of this configuration does not train. */
    static Set<String> frozenByDesign(ModelSummary model) {
        return ParameterTable.frozenGroups(PosEmbedding.parse(model.posEmbedding()),
                ValueProjection.parse(model.valueProjection()), model.tieQk(), model.depth()).keySet();
    }

    private static double median(Map<String, Double> norms, Set<String> frozen) {
        double[] v = norms.entrySet().stream().filter(e -> !frozen.contains(e.getKey()) && e.getValue() != null
                && Double.isFinite(e.getValue())).mapToDouble(Map.Entry::getValue).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Double number(JsonNode v, Path file, int line, String group) {
        if (v == null || v.isNull()) return null;
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) { // NaN / Infinity written as strings by some JSON writers
            String s = v.asText();
            if (s.equals("NaN")) return Double.NaN;
            if (s.equals("Infinity")) return Double.POSITIVE_INFINITY;
            if (s.equals("-Infinity")) return Double.NEGATIVE_INFINITY;
        }
        throw new IllegalArgumentException(file + ":" + line + ": gradNorms." + group + " is " + v
                + ", expected a number");
    }

    /** Orders "blocks.10.x" after "blocks.2.x" and keeps the embedding groups first. */
    static int compareGroups(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        boolean ax = x[0].equals("blocks"), by = y[0].equals("blocks");
        if (ax != by) return ax ? 1 : -1;
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }
}
