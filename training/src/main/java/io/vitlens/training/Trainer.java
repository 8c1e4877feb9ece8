package io.vitlens.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.core.model.layers.Engine;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.CheckpointMeta;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.config.TrainSection;
import io.vitlens.training.checkpoint.EmaEntry;
import io.vitlens.training.ema.EmaEvaluator;
import io.vitlens.training.ema.WeightEma;
import io.vitlens.training.listeners.GradientMonitor;
import io.vitlens.training.optim.GradientClipping;
import io.vitlens.core.model.WarmupCosineSchedule;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.parallel.ParallelEpochFit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Trains a ViT on a dataset, epoch by epoch, writing checkpoints (epoch-000 = initialisation), metrics and
 * progress. Determinism: the data order and all ND4J randomness of epoch e derive from (seed, e), and
 * checkpoints are taken at epoch boundaries, so a resumed run reaches the same weights as an uninterrupted one.
 * With {@code train.ema-decay > 0} a {@link WeightEma} follows every optimiser step, is evaluated each epoch beside
 * the raw weights and is stored in each checkpoint beside the model ({@link EmaEntry}), so it resumes exactly too.
 *
 * <p>This is the one epoch loop of every engine: only the training of one epoch is delegated to an
 * {@link EpochFit} (this thread, {@code train.workers} ParallelWrapper workers, or the Spark module's), so run
 * directory, schedule (and its re-plan on resume), checkpoints, evaluation and metrics are the same for all.
 */
public final class Trainer {
    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    /** Observes training from outside (progress bars, tests). All methods optional. */
    public interface Observer {
        default void epochStart(int epoch, int epochs, long images) {}
        default void batchDone(int epoch, long imagesDone, double loss, double lr) {}
        default void epochEnd(EpochMetrics m) {}
    }

    private final ExperimentConfig cfg;
    private final RunDirectory run;
    private final Observer observer;
    private final List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new java.util.ArrayList<>();
    private final RunKernels kernels;
    private final EpochFit fit;

    /** Trains on this machine: on the calling thread, or on {@code train.workers} ParallelWrapper workers. */
    public Trainer(ExperimentConfig cfg, RunDirectory run, Observer observer) {
        this(cfg, run, observer, cfg.train().workers() > 1 ? new ParallelEpochFit(cfg.train().workers()) : new LocalEpochFit());
    }

    /** Trains each epoch with {@code fit} (e.g. the Spark module's engine). */
    public Trainer(ExperimentConfig cfg, RunDirectory run, Observer observer, EpochFit fit) {
        if (fit == null) throw new IllegalArgumentException("fit: missing");
        this.cfg = cfg;
        this.run = run;
        this.observer = observer == null ? new Observer() {} : observer;
        this.kernels = new RunKernels(run.root());
        this.fit = fit;
    }

    /**
     * Adds a DL4J listener that sees every step after the run's own gradient monitor (e.g. the training UI's
     * StatsListener). Returns this trainer.
     */
    public Trainer withListener(org.deeplearning4j.optimize.api.TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Adam with decoupled weight decay (AdamW), learning rate warmup + cosine over all steps. */
    static TrainSettings settings(ExperimentConfig cfg, int stepsPerEpoch) {
        TrainSection t = cfg.train();
        int total = Math.max(1, t.epochs() * stepsPerEpoch);
        int warmup = (int) Math.round(t.warmupEpochs() * stepsPerEpoch);
        warmup = Math.min(warmup, total - 1);
        Adam adam = Adam.builder()
                .learningRateSchedule(new WarmupCosineSchedule(t.lr(), t.minLr(), warmup, total))
                .beta1(t.beta1()).beta2(t.beta2()).epsilon(t.adamEpsilon()).build();
        return new TrainSettings(cfg.seed(), adam, t.weightDecay(), DataType.FLOAT);
    }

    /**
     * The warmup + cosine schedule lives in the checkpoint's optimiser and spans the epochs the run was
     * started with. Resuming with another {@code train.epochs} (e.g. extending a finished run) would
     * otherwise continue at the old schedule's final rate; instead the schedule is re-planned over the new
     * total, Adam's moments kept, and the jump in the rate is logged.
     */
    private void replanScheduleIfEpochsChanged(ComputationGraph graph, Checkpoint cp, int steps, long step) {
        ExperimentConfig stored = ConfigLoader.bind(cp.meta().config(), cp.file() + " (stored config)");
        int was = stored.train().epochs();
        if (was == cfg.train().epochs()) return;
        ISchedule old = ((Adam) settings(stored, steps).updater()).getLearningRateSchedule();
        ISchedule now = ((Adam) settings(cfg, steps).updater()).getLearningRateSchedule();
        graph.setLearningRate(now);
        int at = Math.toIntExact(step);
        log.warn("train.epochs is {} but the run was started with {}: the learning-rate schedule is re-planned over "
                + "{} epochs; at step {} the rate goes from {} to {}", cfg.train().epochs(), was, cfg.train().epochs(), at,
                String.format(java.util.Locale.ROOT, "%.3g", old.valueAt(at, 0)),
                String.format(java.util.Locale.ROOT, "%.3g", now.valueAt(at, 0)));
    }

    /**
     * Runs (or resumes) training to {@code cfg.train().epochs()}, holding the run directory's {@link RunLock}
     * throughout (re-entrant when the caller took it already). Returns the last epoch's metrics.
     *
     * @throws RunLock.RunLockedException when another trainer writes the same run directory
     */
    public EpochMetrics run(boolean resume) throws IOException {
        try (RunLock lock = RunLock.acquire(run.root())) {
            return runLocked(resume);
        }
    }

    private EpochMetrics runLocked(boolean resume) throws IOException {
        if (cfg.train().emaDecay() > 0 && !fit.supportsEma())
            throw new ConfigException("train.ema-decay: " + cfg.train().emaDecay() + " is not supported by this engine ("
                    + fit.getClass().getSimpleName() + "): its optimiser steps do not happen on this JVM's model; set it to 0");
        ViTConfig vit = cfg.vit();
        LoadedDataset data = cfg.openData();
        int stepsPerEpoch = fit.stepsPerEpoch(batchesPerEpoch(data));   // optimiser steps: the schedule counts these

        ComputationGraph graph;
        int startEpoch;
        long step;
        WeightEma ema;
        MetricsWriter metrics = new MetricsWriter(run.metricsJsonl(), run.metricsCsv());
        if (resume && run.latestCheckpointEpoch().isPresent()) {
            int last = run.latestCheckpointEpoch().get();
            Checkpoint cp = CheckpointIO.read(run.checkpoint(last), true);
            if (!cp.vit().equals(vit))
                throw new IllegalArgumentException(cp.file() + ": checkpoint architecture " + cp.vit()
                        + " differs from the config's " + vit);
            graph = cp.graph();
            startEpoch = cp.meta().epoch();
            step = cp.meta().step();
            replanScheduleIfEpochsChanged(graph, cp, stepsPerEpoch, step);
            ema = resumeEma(cp);
            metrics.truncateAfter(startEpoch);
            kernels.pinRecorded();
            log.info("resuming {} from epoch {} (step {})", run.root(), startEpoch, step);
        } else {
            io.vitlens.core.io.AtomicFiles.writeString(run.config(), ConfigLoader.toYaml(cfg));
            graph = ViTGraph.create(vit, settings(cfg, stepsPerEpoch));
            log.info("model: {} parameters, {} tokens of width {}", ViTGraph.parameterCount(graph), vit.numTokens(), vit.dim());
            startEpoch = 0;
            step = 0;
            metrics.truncateAfter(0);
            ema = cfg.train().emaDecay() > 0 ? WeightEma.startingAt(graph.params(), cfg.train().emaDecay()) : null;
            writeCheckpoint(graph, data, 0, 0, null, ema);
        }

        GradientMonitor grads = new GradientMonitor(ParameterGroups.of(graph, vit), new GradientClipping(cfg.train().gradClip()));
        java.util.List<org.deeplearning4j.optimize.api.TrainingListener> all = new java.util.ArrayList<>(List.of(grads));
        all.addAll(listeners);
        graph.setListeners(all);
        EmaEvaluator emaEval = ema == null ? null : new EmaEvaluator(graph);
        EpochMetrics last = null;
        for (int epoch = startEpoch + 1; epoch <= cfg.train().epochs(); epoch++) {
            kernels.drainUsed();   // the epoch's line lists what this epoch ran
            last = trainEpoch(graph, data, grads, epoch, step, ema);
            if (ema != null)
                last = last.withEma(emaEval.evaluate(ema, data.spreadEvalIterator(Split.TEST, cfg.train().evalImages()), data.classNames()));
            step = last.step();
            metrics.append(last);
            observer.epochEnd(last);
            if (epoch % cfg.train().checkpointEvery() == 0 || epoch == cfg.train().epochs())
                writeCheckpoint(graph, data, epoch, step, last.testAccuracy(), ema);
        }
        return last;
    }

    private int batchesPerEpoch(LoadedDataset data) {
        int n = data.size(Split.TRAIN);
        int steps = (n + cfg.data().batchSize() - 1) / cfg.data().batchSize();
        return cfg.train().maxBatchesPerEpoch() > 0 ? Math.min(steps, cfg.train().maxBatchesPerEpoch()) : steps;
    }

    /**
     * The run's weight average when {@code train.ema-decay > 0}: the one stored beside the checkpoint's model, or,
     * for a checkpoint written without one, a new average starting at its weights.
     */
    private WeightEma resumeEma(Checkpoint cp) throws IOException {
        double decay = cfg.train().emaDecay();
        if (decay == 0) return null;
        java.util.Optional<EmaEntry> stored = CheckpointIO.readEma(cp.file());
        if (stored.isEmpty()) {
            log.warn("{} holds no weight average (written with train.ema-decay 0): the average starts at its weights",
                    cp.file());
            return WeightEma.startingAt(cp.graph().params(), decay);
        }
        EmaEntry e = stored.get();
        if (e.values().length != cp.graph().numParams())
            throw new IllegalArgumentException(cp.file() + ": " + EmaEntry.ENTRY + " holds " + e.values().length
                    + " values, the model " + cp.graph().numParams() + " parameters");
        if (e.decay() != decay)
            log.warn("train.ema-decay is {} but the stored average was taken with {}: it continues with {}", decay, e.decay(), decay);
        return WeightEma.restored(e.values(), e.updates(), decay);
    }

    private EpochMetrics trainEpoch(ComputationGraph graph, LoadedDataset data, GradientMonitor grads, int epoch, long step,
                                    WeightEma ema) {
        Nd4j.getRandom().setSeed(cfg.seed() * 1_000_003L + epoch);   // dropout / drop-path of this epoch
        io.vitlens.data.Augmentation aug = cfg.augmentationAt(epoch);
        if (epoch > 1 && !aug.equals(cfg.augmentationAt(epoch - 1)))
            log.info("epoch {}: data.final-augmentation from here to epoch {}: {}", epoch, cfg.train().epochs(), aug);
        DataSetIterator it = data.trainIterator(epoch, aug);
        long images = (long) batchesPerEpoch(data) * cfg.data().batchSize();
        observer.epochStart(epoch, cfg.train().epochs(), Math.min(images, data.size(Split.TRAIN)));
        EpochFit.Result r = fit.fit(new EpochFit.Input(graph, it, epoch, step, cfg.train().maxBatchesPerEpoch(),
                cfg.train().labelSmoothing(), grads, ema,
                (seen, loss) -> observer.batchDone(epoch, seen, loss, currentLr(graph, graph.getIterationCount()))));
        if (!Double.isFinite(r.meanLoss()))
            throw new NonFiniteException("training loss became " + r.meanLoss() + " in epoch " + epoch);
        long newStep = step + r.steps();
        EvalResult eval = Evaluator.evaluate(graph, data.spreadEvalIterator(Split.TEST, cfg.train().evalImages()), data.classNames());
        return new EpochMetrics(epoch, newStep, r.meanLoss(), eval.loss(), eval.accuracy(),
                currentLr(graph, newStep - 1), r.imagesPerSecond(), r.seconds(), r.globalNorm(), r.groupNorms(),
                eval.perClassAccuracy(), eval.confusion(), kernels.drainUsed(), Engine.of(graph).id());
    }

    private double currentLr(ComputationGraph graph, long step) {
        return graph.getLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer bl
                && bl.getIUpdater() != null ? bl.getIUpdater().getLearningRate((int) Math.max(0, step), 0) : Double.NaN;
    }

    private void writeCheckpoint(ComputationGraph graph, LoadedDataset data, int epoch, long step, Double acc, WeightEma ema)
            throws IOException {
        kernels.write();
        ObjectNode tree = (ObjectNode) ConfigLoader.toTree(cfg);
        CheckpointMeta meta = new CheckpointMeta(CheckpointMeta.FORMAT_VERSION, epoch, step, cfg.seed(), tree,
                data.mean(), data.std(), data.classNames(), acc, Instant.now().toString(), Engine.of(graph).id());
        CheckpointIO.write(run.checkpoint(epoch), meta, graph,
                ema == null ? null : new EmaEntry(ema.updates(), ema.decay(), ema.params().toFloatVector()));
    }

    /** The names of the checkpoints written so far. */
    public List<Integer> checkpoints() throws IOException { return run.checkpointEpochs(); }
}
