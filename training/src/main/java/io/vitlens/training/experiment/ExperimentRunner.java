package io.vitlens.training.experiment;

import io.vitlens.training.RunDirectory;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an experiment file and resolves its arms into validated configs. Deciding what each arm still
 * needs (train, resume, analyse, nothing) is done here too, so a re-run skips finished work.
 */
public final class ExperimentRunner {
    /** One arm, resolved: its config and its run directory. */
    public record ResolvedArm(String name, ExperimentConfig config, Path runDir) {}

    /** What an arm needs next. */
    public enum State { TRAIN, RESUME, ANALYZE, DONE }

    private ExperimentRunner() {}

    public static ExperimentSpec read(Path file) {
        ExperimentSpec spec;
        try {
            spec = ConfigLoader.YAML.readValue(file.toFile(), ExperimentSpec.class);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + e.getPropertyName() + "'; known keys: " + e.getKnownPropertyIds());
        } catch (IOException e) {
            if (!Files.exists(file)) throw new ConfigException(file + ": no such experiment file");
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        if (spec == null) throw new ConfigException(file + ": empty experiment file");
        if (spec.name == null || spec.name.isBlank()) throw new ConfigException(file + ": name: missing");
        if (spec.base == null) throw new ConfigException(file + ": base: missing (the config every arm starts from)");
        if (spec.arms == null || spec.arms.isEmpty()) throw new ConfigException(file + ": arms: at least one arm is needed");
        Set<String> names = new HashSet<>();
        for (ExperimentSpec.Arm a : spec.arms) {
            if (a.name == null || !a.name.matches("[A-Za-z0-9._-]+"))
                throw new ConfigException(file + ": arms: name '" + a.name + "' must be letters, digits, '.', '_' or '-'");
            if (!names.add(a.name)) throw new ConfigException(file + ": arms: duplicate arm name '" + a.name + "'");
        }
        return spec;
    }

    /** Each arm's config (base + experiment overrides + arm overrides + extra) and run directory under {@code out}. */
    public static List<ResolvedArm> resolve(Path file, ExperimentSpec spec, Path out, List<String> extra) {
        Path base = file.toAbsolutePath().getParent().resolve(spec.base).normalize();
        List<ResolvedArm> arms = new ArrayList<>();
        for (ExperimentSpec.Arm a : spec.arms) {
            List<String> o = new ArrayList<>(spec.set);
            o.addAll(a.set);
            o.addAll(extra);
            o.add("name=" + spec.name + "-" + a.name);
            ExperimentConfig cfg;
            try {
                cfg = ConfigLoader.load(base, o);
            } catch (ConfigException e) {
                throw new ConfigException(file + ": arm '" + a.name + "': " + e.getMessage(), e);
            }
            arms.add(new ResolvedArm(a.name, cfg, out.resolve(a.name)));
        }
        return arms;
    }

    /** What an arm needs: finished training is recognised by its final checkpoint, a current report by its JSON. */
    public static State state(ResolvedArm arm) throws IOException {
        RunDirectory rd = new RunDirectory(arm.runDir());
        var latest = rd.latestCheckpointEpoch();
        if (latest.isEmpty()) return Files.isDirectory(arm.runDir()) && Files.exists(rd.config()) ? State.RESUME : State.TRAIN;
        if (latest.get() < arm.config().train().epochs()) return State.RESUME;
        Path json = rd.report().resolve("analysis.json");
        if (!Files.exists(json)) return State.ANALYZE;
        long cp = Files.getLastModifiedTime(rd.checkpoint(latest.get())).toMillis();
        return Files.getLastModifiedTime(json).toMillis() >= cp ? State.DONE : State.ANALYZE;
    }

    /** The final test accuracy stored in the arm's last checkpoint, or null. */
    public static Double finalAccuracy(ResolvedArm arm) throws IOException {
        RunDirectory rd = new RunDirectory(arm.runDir());
        var latest = rd.latestCheckpointEpoch();
        return latest.isEmpty() ? null : CheckpointIO.readMeta(rd.checkpoint(latest.get())).testAccuracy();
    }
}
