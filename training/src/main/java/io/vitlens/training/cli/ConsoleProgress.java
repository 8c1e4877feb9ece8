package io.vitlens.training.cli;

import io.vitlens.analysis.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The analysis's progress as a terminal bar over checkpoints, with the current stage beside it. The bar appears at
 * the first update (after the images are loaded), so nothing is drawn for a job that fails before.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void update(String stage, long done, long total) {
        boolean checkpoints = "checkpoints".equals(stage);
        if (bar == null) bar = new ProgressBarBuilder().setTaskName("analyze").setInitialMax(checkpoints ? total : 1)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" ckpt", 1).build();
        if (checkpoints) {
            bar.maxHint(total);
            bar.stepTo(done);
        } else {
            bar.setExtraMessage(stage + " " + done + "/" + total);
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
