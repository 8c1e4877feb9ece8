package io.vitlens.spark;

import io.vitlens.training.EpochFit;
import io.vitlens.training.EpochMetrics;
import io.vitlens.training.LabelSmoothing;
import io.vitlens.training.NonFiniteException;
import io.vitlens.training.ParameterGroups;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ExperimentConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spark engine's {@link EpochFit}: trains one epoch data-parallel with DL4J's {@code dl4j-spark} (1.0.0-M2,
 * the last release; it runs the 1.0.0-M2.1 model unchanged, see docs/scaling.md). Everything else of the run
 * (run directory, schedule and its re-plan on resume, checkpoints, evaluation, metrics) is the shared
 * {@link Trainer}'s, on the driver, so the run directory is the one {@code vit train} writes; on a cluster it
 * must be a path the driver can write.
 *
 * <p>Per epoch the batches the trainer hands over (seeded shuffle, augmentation; label smoothing applied here;
 * at most {@code train.max-batches-per-epoch}) go to Spark as an RDD of {@code workers} partitions, and DL4J's
 * {@code ParameterAveragingTrainingMaster} trains: every worker fits {@code averagingFrequency} batches from the
 * current parameters and Adam state, then both are averaged on the driver, into the trainer's graph. On the
 * executors {@link ExecutorMetrics} runs the trainer's gradient monitor (norms, NaN check, clipping) and sums
 * the loss; {@link DropoutSeeding} seeds dropout per batch. No weight average ({@code train.ema-decay}): the
 * steps happen on the executors.
 *
 * <p>The epoch's batches pass through the driver's memory (CIFAR-10: about 0.6 GB of float32 per epoch):
 * fine for the datasets of this project, not for ImageNet-sized ones.
 */
public final class SparkTrainer implements EpochFit {
    private static final Logger log = LoggerFactory.getLogger(SparkTrainer.class);

    private final JavaSparkContext sc;
    private final ExperimentConfig cfg;
    private final SparkSettings settings;
    private final int workers;
    private SparkComputationGraph net;   // built for the trainer's graph on the first epoch

    public SparkTrainer(JavaSparkContext sc, ExperimentConfig cfg, SparkSettings settings) {
        if (sc == null) throw new IllegalArgumentException("sc: missing");
        if (cfg == null) throw new IllegalArgumentException("cfg: missing");
        if (settings == null) throw new IllegalArgumentException("settings: missing");
        this.sc = sc;
        this.cfg = cfg;
        this.settings = settings;
        this.workers = settings.workers() > 0 ? settings.workers() : sc.defaultParallelism();
    }

    /**
     * The entry point for {@code vit train --spark MASTER} (whose caller has prepared and locked {@code run}):
     * starts a Spark context on {@code master} (null: the master spark-submit configured), trains with averaging
     * after every round, stops the context.
     */
    public static EpochMetrics train(ExperimentConfig cfg, RunDirectory run, String master, boolean resume,
                                     Trainer.Observer observer) throws IOException {
        SparkSettings s = SparkSettings.of(master);
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf(cfg.name(), s.master()))) {
            return new Trainer(cfg, run, observer, new SparkTrainer(sc, cfg, s)).run(resume);
        }
    }

    /** The Spark configuration of a vit-lens run; the master is left to spark-submit when null. */
    public static SparkConf sparkConf(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName("vit-lens " + appName);
        if (master != null) conf.setMaster(master);
        if (!conf.contains("spark.master"))
            throw new IllegalArgumentException("spark master: none given and none configured; pass one (local[2], yarn, "
                    + "spark://host:7077) or launch with spark-submit --master");
        return conf;
    }

    /** DL4J's rounds: {@link SparkSettings#stepsPerEpoch}. */
    @Override
    public int stepsPerEpoch(int batches) {
        return SparkSettings.stepsPerEpoch(batches, workers, settings.averagingFrequency());
    }

    @Override
    public Result fit(Input in) {
        ComputationGraph graph = in.graph();
        SparkComputationGraph net = network(graph);
        ExecutorMetrics em = new ExecutorMetrics(sc.sc(), ParameterGroups.of(graph, cfg.vit()), cfg.train().gradClip(), in.epoch());
        net.setListeners(em);
        List<DataSet> batches = epochBatches(in);
        int before = graph.getIterationCount();

        long t0 = System.nanoTime();
        JavaRDD<DataSet> rdd = sc.parallelize(batches, workers);
        try {
            net.fit(rdd);
        } catch (Exception e) {   // Scala throws the checked SparkException undeclared
            throw workerFailure(e, in.epoch());
        } finally {
            rdd.unpersist(false);   // DL4J persists the RDD and leaves it cached
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // parameter averaging writes into the graph it was given: the trainer evaluates and checkpoints that one
        if (net.getNetwork() != graph) throw new IllegalStateException("dl4j-spark replaced the trained graph");
        in.observer().batchDone(em.images(), em.meanLoss());   // the executors' batches are seen only at the end
        return new Result(graph.getIterationCount() - before, em.images(), em.meanLoss(), seconds,
                em.meanGlobalNorm(), em.meanGroupNorms());
    }

    private SparkComputationGraph network(ComputationGraph graph) {
        if (net != null && net.getNetwork() == graph) return net;
        log.info("spark: {} workers, batches of {}, averaging every {} batches per worker", workers, cfg.data().batchSize(),
                settings.averagingFrequency());
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, cfg.data().batchSize())
                .batchSizePerWorker(cfg.data().batchSize())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(0)                  // batches are already built; nothing to prefetch
                .rddTrainingApproach(RDDTrainingApproach.Direct)   // no export of the epoch to disk
                .saveUpdater(true)                            // average Adam's moments along with the weights
                .rngSeed(cfg.seed())
                .trainingHooks(new DropoutSeeding(cfg.seed()))
                .build();
        net = new SparkComputationGraph(sc, graph, master);
        return net;
    }

    /** The epoch's batches as the sequential trainer trains them: same order, augmentation, label smoothing. */
    private static List<DataSet> epochBatches(Input in) {
        double smoothing = in.labelSmoothing();
        List<DataSet> out = new ArrayList<>();
        while (in.batches().hasNext() && (in.maxBatches() == 0 || out.size() < in.maxBatches())) {
            DataSet ds = in.batches().next();
            if (smoothing > 0) ds = new DataSet(ds.getFeatures(), LabelSmoothing.apply(ds.getLabels(), smoothing));
            out.add(ds);
        }
        return out;
    }

    /**
     * A worker's {@link NonFiniteException} reaches the driver wrapped in Spark's job failure (and, on a cluster,
     * only as text): report it as the trainer would, naming the epoch.
     */
    private static RuntimeException workerFailure(Exception e, int epoch) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NonFiniteException nf) return nf;
            if (t.getMessage() != null && t.getMessage().contains(NonFiniteException.class.getName()))
                return new NonFiniteException("epoch " + epoch + ": " + t.getMessage().lines()
                        .filter(l -> l.contains(NonFiniteException.class.getName())).findFirst().orElse(t.getMessage()));
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException("spark training failed in epoch " + epoch + ": " + e.getMessage(), e);
    }
}
