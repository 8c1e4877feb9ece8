package io.vitlens.analysis;

import java.util.List;
import java.util.Map;

/**
 * Per-parameter-group gradient norms logged during training (claim C12), read from the run's
 * metrics.jsonl.
 *
 * @param source          the metrics file read
 * @param epochs          epoch of each logged line (the line's "epoch", else its 1-based line number)
 * @param norms           group name -&gt; gradient norm per logged epoch (null where a line lacks the group)
 * @param vanishingRatio  a group vanishes in an epoch when its norm is &lt; vanishingRatio x the median norm
 *                        of all groups in that epoch, or exactly 0
 * @param vanishing       groups that vanish in at least one logged epoch (frozen groups excluded)
 * @param nonFinite       groups with a NaN or infinite norm in at least one epoch
 * @param frozen          groups that are not trained by design (e.g. pos_embed of a sincos2d model)
 */
public record GradientFlowStats(String source, List<Integer> epochs, Map<String, List<Double>> norms,
                                double vanishingRatio, List<String> vanishing, List<String> nonFinite,
                                List<String> frozen) {
}
