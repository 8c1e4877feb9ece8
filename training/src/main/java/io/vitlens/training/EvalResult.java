package io.vitlens.training;

import java.util.List;

/**
 * Classification quality on one split.
 *
 * @param images          images evaluated
 * @param accuracy        top-1 accuracy
 * @param loss            mean cross-entropy (no label smoothing)
 * @param perClassAccuracy accuracy per true class (NaN-free: 0 for a class with no images)
 * @param confusion       confusion[true][predicted] counts
 */
public record EvalResult(int images, double accuracy, double loss, double[] perClassAccuracy, int[][] confusion,
                         List<String> classNames) {
}
