package io.vitlens.analysis.claims;

import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.PositionEmbeddingStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vitlens.analysis.claims.Fmt.num;
import static io.vitlens.analysis.claims.Fmt.orNull;

/** Verdicts on the position-embedding claims C1 (similarity falls with distance), C2 (coordinates recoverable), C3 (learned). */
final class PositionClaims {

    static final double C1_MAX_RHO = -0.3;
    static final double C1_MAX_P = 0.01;
    static final double C2_MIN_R2 = 0.5;
    static final double C3_MIN_DROP = 0.2;

    private final List<CheckpointAnalysis> checkpoints;
    private final Optional<CheckpointAnalysis> trained;
    private final Optional<CheckpointAnalysis> baseline;

    PositionClaims(List<CheckpointAnalysis> checkpoints, Optional<CheckpointAnalysis> trained,
                   Optional<CheckpointAnalysis> baseline) {
        this.checkpoints = checkpoints;
        this.trained = trained;
        this.baseline = baseline;
    }

    ClaimVerdict c1() {
        String title = "neighbouring position embeddings are similar, distant ones dissimilar";
        String metric = "Spearman rho of cos(p_i, p_j) vs grid distance over patch pairs i < j";
        Optional<String> missing = missing();
        if (missing.isPresent()) return ClaimVerdict.notMeasured("C1", title, metric, missing.get());
        CheckpointAnalysis t = trained.orElseThrow();
        PositionEmbeddingStats p = t.positionEmbedding();
        Double base = baselineStats().map(b -> orNull(b.rho())).orElse(null);
        boolean holds = p.rho() <= C1_MAX_RHO && p.pValue() < C1_MAX_P;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("checkpoint", t.checkpoint());
        d.put("pValue", orNull(p.pValue()));
        d.put("permutations", p.permutations());
        baselineStats().ifPresent(b -> d.put("baselinePValue", orNull(b.pValue())));
        return new ClaimVerdict("C1", title, metric, orNull(p.rho()), base, holds,
                "rho = " + num(p.rho()) + " (p = " + num(p.pValue()) + ") on " + t.checkpoint() + baselineText(base)
                        + "; holds if rho <= " + C1_MAX_RHO + " and p < " + C1_MAX_P + kindNote(p), d);
    }

    ClaimVerdict c2() {
        String title = "a linear map recovers (row, column) from the position embedding";
        String metric = "min(rowR2, colR2): leave-one-out R^2 of row / column from the first k PCs";
        Optional<String> missing = missing();
        if (missing.isPresent()) return ClaimVerdict.notMeasured("C2", title, metric, missing.get());
        CheckpointAnalysis t = trained.orElseThrow();
        PositionEmbeddingStats p = t.positionEmbedding();
        Optional<PositionEmbeddingStats> b = baselineStats();
        Double base = b.map(s -> orNull(Math.min(s.rowR2(), s.colR2()))).orElse(null);
        boolean holds = p.rowR2() >= C2_MIN_R2 && p.colR2() >= C2_MIN_R2;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rowR2", orNull(p.rowR2()));
        d.put("colR2", orNull(p.colR2()));
        d.put("components", p.components());
        d.put("pcaVarianceShare", p.pcaVarianceShare());
        b.ifPresent(s -> { d.put("baselineRowR2", orNull(s.rowR2())); d.put("baselineColR2", orNull(s.colR2())); });
        return new ClaimVerdict("C2", title, metric, orNull(Math.min(p.rowR2(), p.colR2())), base, holds,
                "rowR2 = " + num(p.rowR2()) + ", colR2 = " + num(p.colR2()) + " from k = " + p.components() + " PCs on "
                        + t.checkpoint() + baselineText(base) + "; holds if both >= " + C2_MIN_R2 + kindNote(p), d);
    }

    ClaimVerdict c3() {
        String title = "the spatial structure is learned, not given";
        String metric = "rho of C1 on the last checkpoint; baseline: rho at epoch-000";
        Optional<String> missing = missing();
        if (missing.isPresent()) return ClaimVerdict.notMeasured("C3", title, metric, missing.get());
        if (baselineStats().isEmpty())
            return ClaimVerdict.notMeasured("C3", title, metric, "no epoch-000 checkpoint was analysed, so there is"
                    + " nothing to compare the trained structure with");
        PositionEmbeddingStats p = trained.orElseThrow().positionEmbedding();
        PositionEmbeddingStats b = baselineStats().orElseThrow();
        List<Map<String, Object>> trajectory = new ArrayList<>();
        Integer emerged = null;
        for (CheckpointAnalysis c : checkpoints) {
            if (c.positionEmbedding() == null) continue;
            PositionEmbeddingStats s = c.positionEmbedding();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("checkpoint", c.checkpoint());
            row.put("epoch", c.epoch());
            row.put("rho", orNull(s.rho()));
            row.put("pValue", orNull(s.pValue()));
            row.put("rowR2", orNull(s.rowR2()));
            row.put("colR2", orNull(s.colR2()));
            trajectory.add(row);
            if (emerged == null && s.rho() <= C1_MAX_RHO && s.pValue() < C1_MAX_P) emerged = c.epoch();
        }
        boolean holds = p.rho() <= b.rho() - C3_MIN_DROP;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("trajectory", trajectory);
        d.put("firstEpochWhereC1Holds", emerged);
        String reason = "rho went from " + num(b.rho()) + " at epoch-000 to " + num(p.rho()) + " at "
                + trained.get().checkpoint() + "; holds if it fell by at least " + C3_MIN_DROP
                + (emerged != null ? "; C1's rule first holds at epoch " + emerged : "; C1's rule never holds")
                + kindNote(p);
        return new ClaimVerdict("C3", title, metric, orNull(p.rho()), orNull(b.rho()), holds, reason, d);
    }

    private Optional<String> missing() {
        if (trained.isEmpty())
            return Optional.of("no trained checkpoint (epoch > 0) was analysed");
        if (trained.get().positionEmbedding() == null)
            return Optional.of(trained.get().positionEmbeddingReason());
        return Optional.empty();
    }

    private Optional<PositionEmbeddingStats> baselineStats() {
        return baseline.map(CheckpointAnalysis::positionEmbedding);
    }

    private static String baselineText(Double base) {
        return base == null ? " (no epoch-000 baseline analysed)" : " vs " + num(base) + " at epoch-000";
    }

    private static String kindNote(PositionEmbeddingStats p) {
        return p.kind().equals("sincos2d")
                ? " (fixed sincos2d table: its structure is given by construction, not learned)" : "";
    }
}
