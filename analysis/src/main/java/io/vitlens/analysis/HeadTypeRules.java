package io.vitlens.analysis;

import java.util.List;

/**
 * The head taxonomy of claim C6: thresholds, written into analysis.json so a reader knows
 * exactly why a head got its type. Rules are tried in {@link #ORDER}; the first that matches wins.
 * Masses are fractions of the full attention row (CLS key included), as defined in claims.md.
 *
 * <ol>
 *   <li>{@code cls}: clsMass &gt;= clsMass (a "sink" head parking its attention on CLS)</li>
 *   <li>{@code horizontal}: rowMass &gt;= axisMass and rowMass &gt; axisDominance * columnMass</li>
 *   <li>{@code vertical}: columnMass &gt;= axisMass and columnMass &gt; axisDominance * rowMass</li>
 *   <li>{@code local}: localMass &gt;= localMass</li>
 *   <li>{@code global}: meanAttentionDistancePx &gt;= globalDistanceFraction * (mean distance of uniform
 *       attention over the grid) and entropy &gt;= globalEntropyFraction * ln(N + 1)</li>
 *   <li>{@code content}: positionalShare &lt; contentPositionalShare (the map depends on the image more than
 *       on position)</li>
 *   <li>{@code mixed}: none of the above</li>
 * </ol>
 * Horizontal and vertical come before local because a head that looks at its right-hand neighbour
 * puts all its mass both in its row and in its 3x3 neighbourhood; the row is the more specific
 * description. Global comes before content because a near-uniform head (typical at
 * initialisation) has tiny, image-driven variations that would otherwise make it "content".
 *
 * @param order the rule order (type names)
 * @param rules human-readable statement of each rule, in order
 */
public record HeadTypeRules(double clsMass, double axisMass, double axisDominance, double localMass,
                            double globalDistanceFraction, double globalEntropyFraction,
                            double contentPositionalShare, List<String> order, List<String> rules) {

    public static final List<String> ORDER = List.of("cls", "horizontal", "vertical", "local", "global", "content", "mixed");

    public HeadTypeRules {
        order = ORDER;
        rules = List.of(
                "cls: clsMass >= " + clsMass,
                "horizontal: rowMass >= " + axisMass + " and rowMass > " + axisDominance + " * columnMass",
                "vertical: columnMass >= " + axisMass + " and columnMass > " + axisDominance + " * rowMass",
                "local: localMass >= " + localMass,
                "global: meanAttentionDistancePx >= " + globalDistanceFraction
                        + " * uniformAttentionMeanDistancePx and entropy >= " + globalEntropyFraction + " * ln(N + 1)",
                "content: positionalShare < " + contentPositionalShare,
                "mixed: otherwise");
    }

    /** The thresholds this project uses. */
    public static HeadTypeRules defaults() {
        return new HeadTypeRules(0.5, 0.5, 2.0, 0.5, 0.75, 0.8, 0.3, ORDER, List.of());
    }

    /**
     * @param uniformMeanDistancePx mean attention distance of uniform attention on this grid
     * @param tokens                T = N + 1
     * @return the type name of the first rule that matches
     */
    public String classify(double localMass, double rowMass, double columnMass, double clsMass,
                           double meanDistancePx, double entropy, double positionalShare,
                           double uniformMeanDistancePx, int tokens) {
        if (clsMass >= this.clsMass) return "cls";
        if (rowMass >= axisMass && rowMass > axisDominance * columnMass) return "horizontal";
        if (columnMass >= axisMass && columnMass > axisDominance * rowMass) return "vertical";
        if (localMass >= this.localMass) return "local";
        if (meanDistancePx >= globalDistanceFraction * uniformMeanDistancePx
                && entropy >= globalEntropyFraction * Math.log(tokens)) return "global";
        if (positionalShare < contentPositionalShare) return "content"; // NaN (no variance at all) is not content
        return "mixed";
    }
}
