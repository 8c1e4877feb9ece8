package io.vitlens.training.listeners;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/** A terminal progress bar per epoch (images, images/s, ETA), and one summary line per epoch. */
public final class ProgressBarObserver implements Trainer.Observer {
    private final PrintStream out;
    private ProgressBar bar;
    private long shown;

    public ProgressBarObserver(PrintStream out) { this.out = out; }

    @Override
    public void epochStart(int epoch, int epochs, long images) {
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(images)
                .setUnit(" img", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .continuousUpdate()
                .build();
        shown = 0;
    }

    @Override
    public void batchDone(int epoch, long imagesDone, double loss, double lr) {
        if (bar == null) return;
        bar.stepBy(imagesDone - shown);
        shown = imagesDone;
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f lr %.2e", loss, lr));
    }

    @Override
    public void epochEnd(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf(Locale.ROOT, "epoch %d: train loss %.4f, test loss %.4f, test acc %.2f%%, %.1f img/s, %.1f s%n",
                m.epoch(), m.trainLoss(), m.testLoss(), 100 * m.testAccuracy(), m.imagesPerSecond(), m.epochSeconds());
    }
}
