package io.vitlens.training.config;

/**
 * The {@code train:} section: optimiser, schedule and checkpointing. {@link #DEFAULTS} is the parity recipe
 * (AdamW lr 1e-3, weight decay 0.05, 2 warmup epochs then cosine to 1e-5, label smoothing 0.1). Validated on
 * construction; messages name the YAML key.
 *
 * @param gradClip           global L2 norm the gradient is clipped to; 0 disables clipping
 * @param maxBatchesPerEpoch stop an epoch after this many batches (0 = whole epoch); for smoke tests and benchmarks
 * @param workers            data-parallel workers on this machine (DL4J ParallelWrapper, parameters and Adam state
 *                           averaged every step); part of the config because it sets the steps per epoch and so the
 *                           learning-rate schedule
 * @param evalImages         evaluate on at most this many test images each epoch, spread evenly over the split
 *                           (0 = the whole split)
 * @param emaDecay           decay of an exponential moving average of the weights, updated after every optimiser
 *                           step and evaluated each epoch beside the raw weights (metrics: emaTestAccuracy,
 *                           emaTestLoss); 0 = off. See {@link io.vitlens.training.ema.WeightEma} for its warm-up.
 *                           Checkpoints keep the raw model, which analysis uses; the average is stored beside it,
 *                           for resuming and for {@code vit export --ema}
 */
public record TrainSection(int epochs, double lr, double minLr, double warmupEpochs, double weightDecay, double beta1,
                           double beta2, double adamEpsilon, double labelSmoothing, double gradClip, int checkpointEvery,
                           int maxBatchesPerEpoch, int workers, int evalImages, double emaDecay) {

    /** The values of the keys a YAML {@code train:} section leaves out. */
    public static final TrainSection DEFAULTS = new TrainSection(10, 1e-3, 1e-5, 2, 0.05, 0.9, 0.999, 1e-8, 0.1, 1.0,
            1, 0, 1, 0, 0);

    public TrainSection {
        if (epochs <= 0) throw new ConfigException("train.epochs: " + epochs + " is not a positive integer");
        // YAML reads 1e400 as infinity; an infinite rate or decay would only surface as NaN weights later
        finite("train.lr", lr);
        finite("train.min-lr", minLr);
        finite("train.warmup-epochs", warmupEpochs);
        finite("train.weight-decay", weightDecay);
        finite("train.adam-epsilon", adamEpsilon);
        finite("train.grad-clip", gradClip);
        positive("train.lr", lr);
        if (!(minLr >= 0 && minLr <= lr))
            throw new ConfigException("train.min-lr: " + minLr + " must be in [0, train.lr = " + lr + "]");
        if (!(warmupEpochs >= 0 && warmupEpochs <= epochs))
            throw new ConfigException("train.warmup-epochs: " + warmupEpochs + " must be in [0, train.epochs = " + epochs + "]");
        if (!(weightDecay >= 0)) throw new ConfigException("train.weight-decay: " + weightDecay + " must be >= 0");
        unit("train.beta1", beta1);
        unit("train.beta2", beta2);
        positive("train.adam-epsilon", adamEpsilon);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ConfigException("train.label-smoothing: " + labelSmoothing + " must be in [0, 1)");
        if (!(gradClip >= 0)) throw new ConfigException("train.grad-clip: " + gradClip + " must be >= 0 (0 = off)");
        if (checkpointEvery <= 0)
            throw new ConfigException("train.checkpoint-every: " + checkpointEvery + " is not a positive integer");
        if (maxBatchesPerEpoch < 0)
            throw new ConfigException("train.max-batches-per-epoch: " + maxBatchesPerEpoch + " must be >= 0");
        if (workers < 1) throw new ConfigException("train.workers: " + workers + " must be >= 1");
        if (evalImages < 0) throw new ConfigException("train.eval-images: " + evalImages + " must be >= 0");
        if (!(emaDecay >= 0 && emaDecay < 1))
            throw new ConfigException("train.ema-decay: " + emaDecay + " must be in [0, 1) (0 = off; e.g. 0.9998)");
        // the average is updated on the training thread after each step; ParallelWrapper's rounds give no such hook
        if (emaDecay > 0 && workers > 1)
            throw new ConfigException("train.ema-decay: " + emaDecay + " needs train.workers = 1 (is " + workers
                    + "); set one of them back");
    }

    private static void finite(String key, double v) {
        if (!Double.isFinite(v)) throw new ConfigException(key + ": " + v + " must be a finite number");
    }

    private static void positive(String key, double v) {
        if (!(v > 0)) throw new ConfigException(key + ": " + v + " must be > 0");
    }

    private static void unit(String key, double v) {
        if (!(v >= 0 && v < 1)) throw new ConfigException(key + ": " + v + " must be in [0, 1)");
    }
}
