package io.vitlens.spark;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeds the executor thread's ND4J RNG right before each mini-batch from (run seed, the replica's iteration
 * count, the Spark partition), so dropout and drop-path masks do not depend on which executor JVM or thread
 * runs a task. DL4J's split of an epoch into rounds is seeded separately ({@code rngSeed}).
 */
final class DropoutSeeding implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private final long seed;

    DropoutSeeding(long seed) {
        this.seed = seed;
    }

    /** SplitMix64 finaliser of the triple. */
    static long mix(long seed, long iteration, long partition) {
        long z = seed * 0x9E3779B97F4A7C15L + iteration * 0xBF58476D1CE4E5B9L + partition * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void seed(Model model) {
        TaskContext task = TaskContext.get();
        long partition = task == null ? 0 : task.partitionId();
        long iteration = model instanceof ComputationGraph g ? g.getIterationCount() : 0;
        Nd4j.getRandom().setSeed(mix(seed, iteration, partition));
    }

    @Override public void preUpdate(DataSet minibatch, Model model) { seed(model); }

    @Override public void preUpdate(MultiDataSet minibatch, Model model) { seed(model); }

    @Override public void postUpdate(DataSet minibatch, Model model) { }

    @Override public void postUpdate(MultiDataSet minibatch, Model model) { }
}
