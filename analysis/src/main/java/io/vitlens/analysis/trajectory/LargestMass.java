package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.HeadTypeRules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The head closest to a mass rule of the C6 taxonomy at one checkpoint: the largest local, row, column or CLS
 * mass of any head, and which head has it. Set beside the rule's threshold it shows how far a type is from firing
 * (issue #18: heads drift towards locality long before the local rule's mass of 0.5 is met).
 *
 * @param mass  the head's mass, a fraction of its attention row in [0, 1]
 * @param layer the head's layer
 * @param head  the head's index in its layer
 */
public record LargestMass(double mass, int layer, int head) {

    /** The masses, in this order in every table: the name, then the rule whose threshold it is compared with. */
    public static final List<String> MASSES = List.of("local", "row", "column", "cls");

    /** e.g. {@code L2H1}. */
    public String label() { return "L" + layer + "H" + head; }

    /** The largest of each mass over {@code heads}, in {@link #MASSES} order; empty for no heads. Ties go to the first head. */
    static Map<String, LargestMass> of(List<HeadStats> heads) {
        Map<String, LargestMass> out = new LinkedHashMap<>();
        if (heads.isEmpty()) return out;
        for (String m : MASSES) out.put(m, largest(heads, mass(m)));
        return out;
    }

    /** The threshold each mass must reach for its rule (local, horizontal, vertical, cls); the axis rules also need dominance. */
    static Map<String, Double> thresholds(HeadTypeRules rules) {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("local", rules.localMass());
        t.put("row", rules.axisMass());
        t.put("column", rules.axisMass());
        t.put("cls", rules.clsMass());
        return t;
    }

    private static ToDoubleFunction<HeadStats> mass(String name) {
        return switch (name) {
            case "local" -> HeadStats::localMass;
            case "row" -> HeadStats::rowMass;
            case "column" -> HeadStats::columnMass;
            case "cls" -> HeadStats::clsMass;
            default -> throw new IllegalArgumentException("unknown mass '" + name + "'; expected one of " + MASSES);
        };
    }

    private static LargestMass largest(List<HeadStats> heads, ToDoubleFunction<HeadStats> mass) {
        HeadStats best = heads.get(0);
        for (HeadStats h : heads) if (mass.applyAsDouble(h) > mass.applyAsDouble(best)) best = h;
        return new LargestMass(mass.applyAsDouble(best), best.layer(), best.head());
    }
}
