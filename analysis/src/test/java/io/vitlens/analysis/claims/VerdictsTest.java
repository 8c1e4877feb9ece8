package io.vitlens.analysis.claims;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.HeadTypeRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VerdictsTest {

    private static CheckpointAnalysis checkpoint(String name, int epoch) {
        return new CheckpointAnalysis(name, epoch, 10, null, "none", List.of(), List.of(), 0, 0, 0, Double.NaN);
    }

    @Test
    void oneLinePerMeasuredClaimAndOneForTheRest() {
        List<ClaimVerdict> claims = List.of(
                new ClaimVerdict("C1", "t", "m", -0.44012, -0.0497, true, "r", Map.of("pValue", 0.001)),
                new ClaimVerdict("C2", "t", "m", 0.12, 0.02, false, "r", Map.of()),
                ClaimVerdict.notMeasured("C4", "t", "m", "unit tests"),
                new ClaimVerdict("C6", "t", "m", 3.0, 1.0, true, "r", Map.of()),
                ClaimVerdict.notMeasured("C8", "t", "m", "one run"),
                new ClaimVerdict("C12", "t", "m", 0.0, null, true, "r", Map.of()));
        AnalysisResult r = new AnalysisResult(1, null, 10, 1, HeadTypeRules.defaults(),
                List.of(checkpoint("epoch-000", 0), checkpoint("epoch-010", 10)), claims, null, "none", null);
        assertEquals(List.of(
                "C1 holds: rho -0.44 (p 0.001) at epoch-010 vs -0.0497 at epoch-000",
                "C2 does not hold: min(rowR2, colR2) 0.12 at epoch-010 vs 0.02 at epoch-000",
                "C6 holds: 3 head types at epoch-010 vs 1 at epoch-000",
                "C12 holds: 0 vanishing or non-finite gradient groups at epoch-010",
                "not measured on this run: C4, C8 (the report says why)"), Verdicts.lines(r));
    }
}
