package io.vitlens.analysis.claims;

import io.vitlens.analysis.GradientFlowStats;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientFlowReaderTest {

    @TempDir
    Path dir;

    private static final ViTConfig BASE = ViTConfig.of(32, 3, 4, 64, 2, 2, 128, 10);

    @Test
    void namesAVanishingGroupAndKeepsEpochOrder() throws Exception {
        Path f = write("""
                {"epoch": 1, "trainLoss": 2.0, "gradNorms": {"patch_embed": 1.0, "pos_embed": 0.1, "cls_token": 0.05, "blocks.10.attn.q": 0.3, "blocks.2.attn.q": 0.2, "blocks.2.attn.k": 1e-12}}
                {"epoch": 2, "testAccuracy": 0.4}
                {"epoch": 3, "gradNorms": {"patch_embed": 0.8, "pos_embed": 0.1, "cls_token": 0.04, "blocks.10.attn.q": 0.3, "blocks.2.attn.q": 0.2, "blocks.2.attn.k": 0.1}}
                """);
        GradientFlowStats g = GradientFlowReader.read(f, ModelSummary.of(BASE));
        assertEquals(List.of(1, 3), g.epochs()); // the line without gradNorms is skipped
        // 1e-12 < 1e-8 x median(1.0, 0.1, 0.05, 0.3, 0.2, 1e-12) = 1e-8 x 0.15 in epoch 1
        assertEquals(List.of("blocks.2.attn.k"), g.vanishing());
        assertEquals(List.of("cls_token", "patch_embed", "pos_embed", "blocks.2.attn.k", "blocks.2.attn.q",
                "blocks.10.attn.q"), List.copyOf(g.norms().keySet()));
        assertEquals(Arrays.asList(1e-12, 0.1), g.norms().get("blocks.2.attn.k"));
        assertTrue(g.frozen().isEmpty());
    }

    @Test
    void frozenTablesAndIdentityValuesAreFrozenNotVanishing() throws Exception {
        Path f = write("""
                {"gradNorms": {"patch_embed": 1.0, "pos_embed": 0.0, "blocks.0.attn.v": 0.0, "blocks.0.attn.q": NaN}}
                """.replace("NaN", "\"NaN\""));
        ModelSummary m = ModelSummary.of(BASE.withPosEmbedding(PosEmbedding.SINCOS_2D)
                .withAblation(ValueProjection.IDENTITY, false));
        GradientFlowStats g = GradientFlowReader.read(f, m);
        assertEquals(List.of("pos_embed", "blocks.0.attn.v"), g.frozen());
        assertTrue(g.vanishing().isEmpty(), g.vanishing().toString());
        assertEquals(List.of("blocks.0.attn.q"), g.nonFinite());
        assertEquals(List.of(1), g.epochs()); // no "epoch": the line number
    }

    @Test
    void aBrokenLineNamesFileAndLine() throws Exception {
        Path f = write("{\"gradNorms\": {\"patch_embed\": 1.0}}\n{not json\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientFlowReader.read(f, ModelSummary.of(BASE)));
        assertTrue(e.getMessage().contains("metrics.jsonl:2"), e.getMessage());
        Path g = write("{\"gradNorms\": {\"patch_embed\": \"high\"}}\n");
        e = assertThrows(IllegalArgumentException.class, () -> GradientFlowReader.read(g, ModelSummary.of(BASE)));
        assertTrue(e.getMessage().contains("gradNorms.patch_embed"), e.getMessage());
    }

    @Test
    void aFileWithoutGradientNormsIsRejected() throws Exception {
        Path f = write("{\"epoch\": 1, \"trainLoss\": 2.0}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientFlowReader.read(f, ModelSummary.of(BASE)));
        assertTrue(e.getMessage().contains("gradNorms"), e.getMessage());
    }

    private Path write(String content) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, content);
        return f;
    }
}
