package io.vitlens.training.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * An experiment file ({@code configs/experiments/NAME.yaml}): a base config, overrides for every arm, and
 * the arms themselves, each a name and its own overrides ({@code --set} syntax).
 * <pre>
 * name: head-count
 * base: ../cifar10-vit-tiny.yaml      # relative to this file
 * set: [train.checkpoint-every=1]
 * analyze: {images: 1000, checkpoints: all}
 * arms:
 *   - {name: heads-1, set: [model.heads=1]}
 *   - {name: heads-4, set: [model.heads=4]}
 * </pre>
 */
public final class ExperimentSpec {
    public String name;
    public String description = "";
    public String base;
    public List<String> set = new ArrayList<>();
    public Analyze analyze = new Analyze();
    public List<Arm> arms = new ArrayList<>();

    /** What `vit analyze` is run with on each arm. */
    public static final class Analyze {
        public int images = 1000;
        public String checkpoints = "all";
    }

    public static final class Arm {
        public String name;
        public List<String> set = new ArrayList<>();
    }
}
