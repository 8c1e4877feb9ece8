package io.vitlens.analysis.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.AttentionAtlas;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ExampleImage;

import java.util.Base64;

/**
 * The numbers behind the interactive section of index.html, as one JSON object embedded in the
 * page. Matrices are quantised to one byte per entry with a per-row range (value = lo + q / 255 *
 * (hi - lo)): a display needs 256 levels, and the page stays a few MB for a quickstart run
 * instead of tens. The exact numbers stay in analysis.json.
 */
final class ExploreData {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ExploreData() { }

    static ObjectNode of(AnalysisResult r, AttentionAtlas atlas) {
        var m = r.model();
        int n = m.patches();
        ObjectNode root = JSON.objectNode();
        root.put("g", m.gridSize()).put("patch", m.patchSize()).put("imageSize", m.imageSize())
                .put("layers", m.depth()).put("heads", m.heads());
        ArrayNode cps = root.putArray("checkpoints");
        for (CheckpointAnalysis c : r.checkpoints()) {
            ObjectNode o = cps.addObject().put("name", c.checkpoint());
            if (c.positionEmbedding() != null) o.set("cos", fixedRange(c.positionEmbedding().cosineSimilarity(), -1, 1));
            else o.putNull("cos");
            float[][][] maps = atlas == null ? null : atlas.meanAttention().get(c.checkpoint());
            if (maps != null) o.set("attention", layers(maps, n));
            else o.putNull("attention");
        }
        root.put("images", r.images());
        int q = m.gridSize() / 2 * m.gridSize() + m.gridSize() / 2;
        ArrayNode ex = root.putArray("examples");
        if (r.exampleImages() != null) q = r.exampleImages().queryPatch();
        if (r.exampleImages() != null && atlas != null && atlas.exampleAttention() != null) {
            root.put("exampleCheckpoint", r.exampleImages().checkpoint());
            for (int i = 0; i < r.exampleImages().images().size(); i++) {
                ExampleImage im = r.exampleImages().images().get(i);
                ex.addObject().put("index", im.index()).put("rgb", im.displayRgb())
                        .set("attention", layers(atlas.exampleAttention()[i], n));
            }
        } else {
            root.putNull("exampleCheckpoint");
        }
        root.put("query", q);
        return root;
    }

    /** [L][H] of quantised N x N maps. */
    private static ArrayNode layers(float[][][] maps, int n) {
        ArrayNode layers = JSON.arrayNode();
        for (float[][] layer : maps) {
            ArrayNode heads = layers.addArray();
            for (float[] h : layer) heads.add(perRow(h, n));
        }
        return layers;
    }

    /** Rows quantised on their own [min, max], so a faint row keeps its pattern. */
    static ObjectNode perRow(float[] flat, int n) {
        byte[] q = new byte[n * n];
        ArrayNode lo = JSON.arrayNode(), hi = JSON.arrayNode();
        for (int i = 0; i < n; i++) {
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) { min = Math.min(min, flat[i * n + j]); max = Math.max(max, flat[i * n + j]); }
            lo.add(round(min));
            hi.add(round(max));
            for (int j = 0; j < n; j++)
                q[i * n + j] = (byte) (max > min ? Math.round((flat[i * n + j] - min) / (max - min) * 255) : 0);
        }
        ObjectNode o = JSON.objectNode().put("rows", n).put("cols", n).put("q", Base64.getEncoder().encodeToString(q));
        o.set("lo", lo);
        o.set("hi", hi);
        return o;
    }

    static ObjectNode fixedRange(double[][] m, double lo, double hi) {
        int rows = m.length, cols = m[0].length;
        byte[] q = new byte[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                double t = Math.max(0, Math.min(1, (m[i][j] - lo) / (hi - lo)));
                q[i * cols + j] = (byte) Math.round(t * 255);
            }
        return JSON.objectNode().put("rows", rows).put("cols", cols).put("q", Base64.getEncoder().encodeToString(q))
                .put("lo", lo).put("hi", hi);
    }

    private static double round(float v) { return Math.round(v * 1e6) / 1e6; }
}
