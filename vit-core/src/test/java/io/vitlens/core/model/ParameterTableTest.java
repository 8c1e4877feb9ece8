package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The naming table against hand-written expectations for a one-block tiny model (D 8, g 2, T 5, M 16, K 3). */
class ParameterTableTest {

    private static final ViTConfig ONE_BLOCK = ViTConfig.of(8, 3, 4, 8, 1, 2, 16, 3);

    @Test
    void learnedModelNamesEveryTimmTensorAndItsParameter() {
        assertEquals(List.of(
                "cls_token [1, 1, 8] patchEmbed_cls AS_IS",
                "pos_embed [1, 5, 8] patchEmbed_pos POSITION_TABLE",
                "patch_embed.proj.weight [8, 3, 4, 4] patchEmbed_W AS_IS",
                "patch_embed.proj.bias [8] patchEmbed_b AS_IS",
                "blocks.0.norm1.weight [8] block0_ln1g AS_IS",
                "blocks.0.norm1.bias [8] block0_ln1b AS_IS",
                "blocks.0.attn.qkv.weight [24, 8] block0_qkvW QKV_SECTIONS",
                "blocks.0.attn.qkv.bias [24] block0_qkvb QKV_SECTIONS",
                "blocks.0.attn.proj.weight [8, 8] block0_projW AS_IS",
                "blocks.0.attn.proj.bias [8] block0_projb AS_IS",
                "blocks.0.norm2.weight [8] block0_ln2g AS_IS",
                "blocks.0.norm2.bias [8] block0_ln2b AS_IS",
                "blocks.0.mlp.fc1.weight [16, 8] block0_fc1W AS_IS",
                "blocks.0.mlp.fc1.bias [16] block0_fc1b AS_IS",
                "blocks.0.mlp.fc2.weight [8, 16] block0_fc2W AS_IS",
                "blocks.0.mlp.fc2.bias [8] block0_fc2b AS_IS",
                "norm.weight [8] norm_g AS_IS",
                "norm.bias [8] norm_b AS_IS",
                "head.weight [3, 8] head_W TRANSPOSED",
                "head.bias [3] head_b AS_IS"), tensors(ONE_BLOCK));
        assertEquals(List.of(
                "patch_embed: patchEmbed_W patchEmbed_b",
                "pos_embed: patchEmbed_pos",
                "cls_token: patchEmbed_cls",
                "blocks.0.attn.q: block0_qkvW[0, 8) block0_qkvb[0, 8)",
                "blocks.0.attn.k: block0_qkvW[8, 16) block0_qkvb[8, 16)",
                "blocks.0.attn.v: block0_qkvW[16, 24) block0_qkvb[16, 24)",
                "blocks.0.attn.proj: block0_projW block0_projb",
                "blocks.0.mlp: block0_fc1W block0_fc1b block0_fc2W block0_fc2b",
                "blocks.0.norm: block0_ln1g block0_ln1b block0_ln2g block0_ln2b",
                "norm: norm_g norm_b",
                "head: head_W head_b"), groups(ONE_BLOCK));
        assertEquals(Map.of(), frozen(ONE_BLOCK));
    }

    @Test
    void sincosTableAndIdentityValuesAreFrozenByDesign() {
        ViTConfig c = ONE_BLOCK.withPosEmbedding(PosEmbedding.SINCOS_2D).withAblation(ValueProjection.IDENTITY, false);
        // timm keeps the fixed table as pos_embed; no parameter holds it
        assertEquals("pos_embed [1, 5, 8] - POSITION_TABLE", tensors(c).get(1));
        assertEquals(List.of(
                "patch_embed: patchEmbed_W patchEmbed_b",
                "cls_token: patchEmbed_cls",
                "blocks.0.attn.q: block0_qkvW[0, 8) block0_qkvb[0, 8)",
                "blocks.0.attn.k: block0_qkvW[8, 16) block0_qkvb[8, 16)",
                "blocks.0.attn.proj: block0_projW block0_projb"), groups(c).subList(0, 5));
        assertEquals(Map.of("pos_embed", "fixed 2D sin-cos table (not trained)",
                "blocks.0.attn.v", "identity value projection"), frozen(c));
    }

    @Test
    void noPositionEmbeddingAndTiedQueryKey() {
        ViTConfig c = ONE_BLOCK.withPosEmbedding(PosEmbedding.NONE).withAblation(ValueProjection.LEARNED, true);
        assertTrue(tensors(c).stream().noneMatch(t -> t.startsWith("pos_embed")), tensors(c).toString());
        assertEquals("blocks.0.attn.qkv.weight [24, 8] block0_qkvW QKV_SECTIONS", tensors(c).get(5)); // full timm shape
        assertEquals(List.of(
                "patch_embed: patchEmbed_W patchEmbed_b",
                "cls_token: patchEmbed_cls",
                "blocks.0.attn.q: block0_qkvW[0, 8) block0_qkvb[0, 8)",
                "blocks.0.attn.v: block0_qkvW[8, 16) block0_qkvb[8, 16)",      // V follows Q: K has no section
                "blocks.0.attn.proj: block0_projW block0_projb"), groups(c).subList(0, 5));
        assertEquals(Map.of("pos_embed", "no position embedding",
                "blocks.0.attn.k", "tied to blocks.0.attn.q (tie-qk)"), frozen(c));
    }

    @Test
    void learned2dWritesTheSummedTableAndItsFactors() {
        ViTConfig c = ONE_BLOCK.withPosEmbedding(PosEmbedding.LEARNED_2D);
        assertEquals(List.of(
                "cls_token [1, 1, 8] patchEmbed_cls AS_IS",
                "pos_embed [1, 5, 8] patchEmbed_posCls POSITION_TABLE",
                "pos_embed_row [2, 8] patchEmbed_posRow AS_IS",
                "pos_embed_col [2, 8] patchEmbed_posCol AS_IS"), tensors(c).subList(0, 4));
        assertEquals("pos_embed: patchEmbed_posRow patchEmbed_posCol patchEmbed_posCls", groups(c).get(1));
        assertEquals(Map.of(), frozen(c));
    }

    /** Every variant: sources name real parameters; the groups cover each parameter once; trained + frozen = full. */
    @Test
    void agreesWithTheBuiltModelOfEveryVariant() {
        List<String> fullGroups = groupNames(ParameterTable.of(TestModels.tiny()));
        for (ViTConfig c : Variants.all()) {
            ComputationGraph g = ViTGraph.create(c, TrainSettings.inference(1));
            ParameterTable table = ParameterTable.of(c);
            for (ParameterTable.Tensor t : table.tensors())
                if (t.source() != null) assertNotNull(g.paramTable().get(t.source().variable()), Variants.name(c) + " " + t);
            long covered = 0;
            Set<String> seen = new HashSet<>();
            for (ParameterTable.Group group : table.groups())
                for (ParameterTable.Slice s : group.slices()) {
                    long[] shape = g.paramTable().get(s.variable()).shape();
                    long rowLength = shape.length <= 1 ? 1 : Arrays.stream(shape).skip(1).reduce(1, (a, b) -> a * b);
                    covered += s.to() < 0 ? Arrays.stream(shape).reduce(1, (a, b) -> a * b) : (s.to() - s.from()) * rowLength;
                    assertTrue(seen.add(s.variable() + "[" + s.from() + "," + s.to() + ")"), Variants.name(c) + " " + s);
                }
            assertEquals(g.numParams(), covered, Variants.name(c));
            Set<String> frozen = ParameterTable.frozenGroups(c.posEmbedding(), c.valueProjection(), c.tieQk(), c.depth()).keySet();
            Set<String> trained = new HashSet<>(groupNames(table));
            assertTrue(trained.stream().noneMatch(frozen::contains), Variants.name(c));
            trained.addAll(frozen);
            assertEquals(new HashSet<>(fullGroups), trained, Variants.name(c));
        }
    }

    private static List<String> tensors(ViTConfig c) {
        return ParameterTable.of(c).tensors().stream().map(t -> t.name() + " " + Arrays.toString(t.shape()) + " "
                + (t.source() == null ? "-" : t.source().variable()) + " " + t.stored()).toList();
    }

    private static List<String> groups(ViTConfig c) {
        return ParameterTable.of(c).groups().stream().map(g -> g.name() + ":" + g.slices().stream()
                .map(s -> " " + s.variable() + (s.to() < 0 ? "" : "[" + s.from() + ", " + s.to() + ")"))
                .reduce("", String::concat)).toList();
    }

    private static Map<String, String> frozen(ViTConfig c) {
        return ParameterTable.frozenGroups(c.posEmbedding(), c.valueProjection(), c.tieQk(), c.depth());
    }

    private static List<String> groupNames(ParameterTable table) {
        return table.groups().stream().map(ParameterTable.Group::name).toList();
    }
}
