package io.vitlens.analysis.job;

import io.vitlens.analysis.CheckpointSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;

/**
 * Supplies the analysis images. The caller knows the datasets and the run's data settings; the job only says
 * which checkpoint the images are for (the last one analysed: its architecture and normalisation).
 */
@FunctionalInterface
public interface AnalysisImageLoader {

    /** -> [n, C, S, S]: the first {@code count} images of the split in file order, in {@code last}'s normalisation. */
    INDArray load(CheckpointSource last, int count) throws IOException;
}
