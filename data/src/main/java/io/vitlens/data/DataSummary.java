package io.vitlens.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code vit data summary} prints: per-class counts of each split, geometry, the normalisation
 * statistics and how many bad files were skipped.
 *
 * @param countsPerClass for every {@link Split}, K counts (index = label)
 */
public record DataSummary(String dataset, int imageSize, int channels, List<String> classNames,
                          Map<Split, List<Integer>> countsPerClass, float[] mean, float[] std, int skipped) {

    public DataSummary {
        classNames = List.copyOf(classNames);
        EnumMap<Split, List<Integer>> copy = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<Integer> c = countsPerClass.get(s);
            if (c == null || c.size() != classNames.size())
                throw new IllegalArgumentException("data summary: split " + s + " needs " + classNames.size()
                        + " class counts, got " + c);
            copy.put(s, List.copyOf(c));
        }
        countsPerClass = Collections.unmodifiableMap(copy);
        mean = mean.clone();
        std = std.clone();
    }

    /** Images in a split. */
    public int total(Split s) {
        return countsPerClass.get(s).stream().mapToInt(Integer::intValue).sum();
    }

    /** Count of class {@code k} in split {@code s}. */
    public int count(Split s, int k) {
        return countsPerClass.get(s).get(k);
    }

    /** A plain-text table: a header of geometry and statistics, then one row per class and a total row. */
    public String table() {
        int w = Math.max(5, classNames.stream().mapToInt(String::length).max().orElse(5));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "dataset %s: %dx%d, %d channel%s, %d classes, %d skipped%n",
                dataset, imageSize, imageSize, channels, channels == 1 ? "" : "s", classNames.size(), skipped));
        sb.append("mean ").append(fmt(mean)).append("  std ").append(fmt(std)).append(System.lineSeparator());
        String rowFmt = "%-" + w + "s %10s %10s %10s%n";
        sb.append(String.format(Locale.ROOT, rowFmt, "class", "train", "validation", "test"));
        for (int k = 0; k < classNames.size(); k++)
            sb.append(String.format(Locale.ROOT, rowFmt, classNames.get(k),
                    count(Split.TRAIN, k), count(Split.VALIDATION, k), count(Split.TEST, k)));
        sb.append(String.format(Locale.ROOT, rowFmt, "total", total(Split.TRAIN), total(Split.VALIDATION), total(Split.TEST)));
        return sb.toString();
    }

    private static String fmt(float[] v) {
        List<String> parts = new ArrayList<>();
        for (float x : v) parts.add(String.format(Locale.ROOT, "%.4f", x));
        return "[" + String.join(", ", parts) + "]";
    }

    @Override
    public String toString() {
        return table();
    }
}
