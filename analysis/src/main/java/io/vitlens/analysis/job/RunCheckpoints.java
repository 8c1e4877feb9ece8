package io.vitlens.analysis.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The parts of a run directory the analysis reads, and which of its checkpoints to analyse. The layout is the
 * training module's {@code RunDirectory} (checked against it by a training test), repeated here so that the
 * analysis reads a run without the training module.
 */
public record RunCheckpoints(Path root) {

    private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d{3,})\\.zip");

    public Path checkpoints() { return root.resolve("checkpoints"); }

    public Path checkpoint(int epoch) { return checkpoints().resolve(String.format("epoch-%03d.zip", epoch)); }

    public Path metricsJsonl() { return root.resolve("metrics.jsonl"); }

    public Path report() { return root.resolve("report"); }

    /** Epochs of the complete checkpoints present, ascending (temporary files and non-files ignored). */
    public List<Integer> epochs() throws IOException {
        List<Integer> epochs = new ArrayList<>();
        if (!Files.isDirectory(checkpoints())) return epochs;
        try (Stream<Path> s = Files.list(checkpoints())) {
            s.forEach(p -> {
                Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) epochs.add(Integer.parseInt(m.group(1)));
            });
        }
        epochs.sort(null);
        return epochs;
    }

    /**
     * Which checkpoints to analyse, ascending; epoch-000 is always included when it exists.
     *
     * @param which {@code all}, {@code last}, or a list such as {@code epoch-000,epoch-005}; null means all
     */
    public List<Integer> select(String which) throws IOException {
        List<Integer> present = epochs();
        if (present.isEmpty()) throw new IllegalArgumentException("--run " + root + ": no checkpoints in " + checkpoints());
        Set<Integer> chosen = new LinkedHashSet<>();
        if (present.contains(0)) chosen.add(0);
        String w = which == null ? "all" : which.trim();
        if (w.equals("all")) chosen.addAll(present);
        else if (w.equals("last")) chosen.add(present.get(present.size() - 1));
        else {
            for (String part : w.split(",")) {
                String p = part.trim();
                if (!p.matches("epoch-\\d+"))
                    throw new IllegalArgumentException("--checkpoints: '" + p + "' is not all, last, or epoch-NNN");
                int e = Integer.parseInt(p.substring(6));
                if (!present.contains(e))
                    throw new IllegalArgumentException("--checkpoints: " + p + " is not in " + checkpoints() + " (present: " + present + ")");
                chosen.add(e);
            }
        }
        List<Integer> out = new ArrayList<>(chosen);
        out.sort(null);
        return out;
    }
}
