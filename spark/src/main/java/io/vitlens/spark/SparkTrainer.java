package io.vitlens.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.data.Datasets;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.training.EpochMetrics;
import io.vitlens.training.EvalResult;
import io.vitlens.training.Evaluator;
import io.vitlens.training.LabelSmoothing;
import io.vitlens.training.MetricsWriter;
import io.vitlens.training.NonFiniteException;
import io.vitlens.training.ParameterGroups;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.CheckpointMeta;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.DataConfigs;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.config.TrainSection;
import io.vitlens.core.model.WarmupCosineSchedule;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a vit-lens experiment data-parallel on Apache Spark with DL4J's {@code dl4j-spark} (1.0.0-M2, the last
 * release; it runs the 1.0.0-M2.1 model unchanged, see docs/scaling.md) and writes the same run directory as the
 * single-machine {@link Trainer}: {@code config.yaml}, {@code checkpoints/epoch-NNN.zip} (epoch 0 = the
 * initialisation), {@code metrics.jsonl}/{@code .csv}. The run directory is written by the driver, so on a
 * cluster it must be a path the driver can write (a shared filesystem if other machines read it).
 *
 * <p>Per epoch the driver builds the epoch's batches exactly as the sequential trainer sees them (seeded
 * shuffle, augmentation, label smoothing; at most {@code train.max-batches-per-epoch}), hands them to Spark as
 * an RDD of {@code workers} partitions, and DL4J's {@code ParameterAveragingTrainingMaster} trains: every
 * worker fits {@code averagingFrequency} batches from the current parameters and Adam state, then both are
 * averaged on the driver. On the executors {@link ExecutorMetrics} runs the trainer's gradient monitor (norms,
 * NaN check, clipping) and sums the loss; {@link DropoutSeeding} seeds dropout per batch. Evaluation and
 * checkpoints happen on the driver between epochs.
 *
 * <p>The epoch's batches pass through the driver's memory (CIFAR-10: about 0.6 GB of float32 per epoch):
 * fine for the datasets of this project, not for ImageNet-sized ones.
 */
public final class SparkTrainer {
    private static final Logger log = LoggerFactory.getLogger(SparkTrainer.class);

    private final ExperimentConfig cfg;
    private final RunDirectory run;
    private final SparkSettings settings;
    private final Trainer.Observer observer;

    public SparkTrainer(ExperimentConfig cfg, RunDirectory run, SparkSettings settings, Trainer.Observer observer) {
        if (cfg == null) throw new IllegalArgumentException("cfg: missing");
        if (run == null) throw new IllegalArgumentException("run: missing");
        if (settings == null) throw new IllegalArgumentException("settings: missing");
        this.cfg = cfg;
        this.run = run;
        this.settings = settings;
        this.observer = observer == null ? new Trainer.Observer() {} : observer;
    }

    /**
     * The entry point for {@code vit train --spark MASTER}: starts a Spark context on {@code master} (null: the
     * master spark-submit configured), trains with averaging after every round, stops the context.
     */
    public static EpochMetrics train(ExperimentConfig cfg, RunDirectory run, String master, boolean resume,
                                     Trainer.Observer observer) throws IOException {
        SparkSettings s = SparkSettings.of(master);
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf(cfg.name, s.master()))) {
            return new SparkTrainer(cfg, run, s, observer).run(sc, resume);
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

    /**
     * Runs (or resumes) training to {@code train.epochs} on an existing context. Returns the last epoch's
     * metrics, null if the run was already complete.
     */
    public EpochMetrics run(JavaSparkContext sc, boolean resume) throws IOException {
        ViTConfig vit = cfg.vit();
        LoadedDataset data = Datasets.open(DataConfigs.toDataConfig(cfg));
        DataConfigs.checkCompatible(cfg, data);
        int workers = settings.workers() > 0 ? settings.workers() : sc.defaultParallelism();
        int batches = batchesPerEpoch(data);
        int stepsPerEpoch = SparkSettings.stepsPerEpoch(batches, workers, settings.averagingFrequency());
        log.info("spark: {} workers, {} batches of {} per epoch, {} optimiser steps per epoch", workers, batches,
                cfg.data.batchSize, stepsPerEpoch);

        MetricsWriter metrics = new MetricsWriter(run.metricsJsonl(), run.metricsCsv());
        ComputationGraph graph;
        int startEpoch;
        if (resume && run.latestCheckpointEpoch().isPresent()) {
            Checkpoint cp = CheckpointIO.read(run.checkpoint(run.latestCheckpointEpoch().get()), true);
            if (!cp.vit().equals(vit))
                throw new IllegalArgumentException(cp.file() + ": checkpoint architecture " + cp.vit()
                        + " differs from the config's " + vit);
            graph = cp.graph();
            startEpoch = cp.meta().epoch();
            metrics.truncateAfter(startEpoch);
            log.info("resuming {} from epoch {} (step {})", run.root(), startEpoch, cp.meta().step());
        } else {
            io.vitlens.core.io.AtomicFiles.writeString(run.config(), ConfigLoader.toYaml(cfg));
            graph = ViTGraph.create(vit, trainSettings(cfg, stepsPerEpoch));
            startEpoch = 0;
            metrics.truncateAfter(0);
            writeCheckpoint(graph, data, 0, null);
        }

        List<ParameterGroups.Group> groups = ParameterGroups.of(graph, vit);
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, cfg.data.batchSize)
                .batchSizePerWorker(cfg.data.batchSize)
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(0)                  // batches are already built; nothing to prefetch
                .rddTrainingApproach(RDDTrainingApproach.Direct)   // no export of the epoch to disk
                .saveUpdater(true)                            // average Adam's moments along with the weights
                .rngSeed(cfg.seed)
                .trainingHooks(new DropoutSeeding(cfg.seed))
                .build();
        SparkComputationGraph net = new SparkComputationGraph(sc, graph, master);

        EpochMetrics last = null;
        for (int epoch = startEpoch + 1; epoch <= cfg.train.epochs; epoch++) {
            last = trainEpoch(sc, net, data, groups, epoch, workers);
            metrics.append(last);
            observer.epochEnd(last);
            if (epoch % cfg.train.checkpointEvery == 0 || epoch == cfg.train.epochs)
                writeCheckpoint(net.getNetwork(), data, epoch, last.testAccuracy());
        }
        return last;
    }

    private EpochMetrics trainEpoch(JavaSparkContext sc, SparkComputationGraph net, LoadedDataset data,
                                    List<ParameterGroups.Group> groups, int epoch, int workers) {
        ExecutorMetrics em = new ExecutorMetrics(sc.sc(), groups, cfg.train.gradClip, epoch);
        net.setListeners(em);
        List<DataSet> batches = epochBatches(data, epoch);
        long images = batches.stream().mapToLong(DataSet::numExamples).sum();
        observer.epochStart(epoch, cfg.train.epochs, images);

        long t0 = System.nanoTime();
        JavaRDD<DataSet> rdd = sc.parallelize(batches, workers);
        try {
            net.fit(rdd);
        } catch (Exception e) {   // Scala throws the checked SparkException undeclared
            throw workerFailure(e, epoch);
        } finally {
            rdd.unpersist(false);   // DL4J persists the RDD and leaves it cached
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        ComputationGraph graph = net.getNetwork();
        long step = graph.getIterationCount();
        observer.batchDone(epoch, em.images(), em.meanLoss(), lrAt(graph, step - 1));
        EvalResult eval = Evaluator.evaluate(graph, data.evalIterator(Split.TEST, cfg.train.evalImages), data.classNames());
        return new EpochMetrics(epoch, step, em.meanLoss(), eval.loss(), eval.accuracy(), lrAt(graph, step - 1),
                em.images() / seconds, seconds, em.meanGlobalNorm(), em.meanGroupNorms(), eval.perClassAccuracy(),
                eval.confusion(), io.vitlens.core.model.kernels.KernelChooser.get().used());
    }

    /** This epoch's batches as the sequential trainer would train them: same order, augmentation, label smoothing. */
    private List<DataSet> epochBatches(LoadedDataset data, int epoch) {
        DataSetIterator it = data.trainIterator(epoch);
        int max = batchesPerEpoch(data);
        double smoothing = cfg.train.labelSmoothing;
        List<DataSet> out = new ArrayList<>(max);
        while (it.hasNext() && out.size() < max) {
            DataSet ds = it.next();
            if (smoothing > 0) ds = new DataSet(ds.getFeatures(), LabelSmoothing.apply(ds.getLabels(), smoothing));
            out.add(ds);
        }
        return out;
    }

    private int batchesPerEpoch(LoadedDataset data) {
        int n = data.size(Split.TRAIN);
        int b = (n + cfg.data.batchSize - 1) / cfg.data.batchSize;
        return cfg.train.maxBatchesPerEpoch > 0 ? Math.min(b, cfg.train.maxBatchesPerEpoch) : b;
    }

    /**
     * AdamW with warmup + cosine over all steps, as the sequential trainer builds it, but counting Spark's steps
     * ({@link SparkSettings#stepsPerEpoch}) so that the schedule ends with the last epoch.
     */
    static TrainSettings trainSettings(ExperimentConfig cfg, int stepsPerEpoch) {
        TrainSection t = cfg.train;
        int total = Math.max(1, t.epochs * stepsPerEpoch);
        int warmup = Math.min((int) Math.round(t.warmupEpochs * stepsPerEpoch), total - 1);
        Adam adam = Adam.builder()
                .learningRateSchedule(new WarmupCosineSchedule(t.lr, t.minLr, warmup, total))
                .beta1(t.beta1).beta2(t.beta2).epsilon(t.adamEpsilon).build();
        return new TrainSettings(cfg.seed, adam, t.weightDecay, DataType.FLOAT);
    }

    private static double lrAt(ComputationGraph graph, long step) {
        return graph.getLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer bl
                && bl.getIUpdater() != null ? bl.getIUpdater().getLearningRate((int) Math.max(0, step), 0) : Double.NaN;
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

    private void writeCheckpoint(ComputationGraph graph, LoadedDataset data, int epoch, Double acc) throws IOException {
        ObjectNode tree = (ObjectNode) ConfigLoader.toTree(cfg);
        CheckpointMeta meta = new CheckpointMeta(CheckpointMeta.FORMAT_VERSION, epoch, graph.getIterationCount(), cfg.seed,
                tree, data.mean(), data.std(), data.classNames(), acc, Instant.now().toString());
        CheckpointIO.write(run.checkpoint(epoch), meta, graph);
    }
}
