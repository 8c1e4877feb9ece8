package io.vitlens.training.weights;

import io.vitlens.core.Normalization;
import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.ParameterTable;
import io.vitlens.core.model.TimmWeights;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.core.weights.Safetensors;
import io.vitlens.core.weights.SafetensorsFile;
import io.vitlens.core.weights.SafetensorsFormatException;
import io.vitlens.core.weights.TensorData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * timm-named safetensors files (docs/model-spec.md): export writes the weights and the configuration into
 * {@code __metadata__}; import rebuilds the model, inferring sizes from the tensor shapes and taking what
 * shapes cannot tell (heads, mean/std) from the metadata or from {@link ImportHints}.
 */
public final class WeightsFile {
    private WeightsFile() {}

    public static void export(ComputationGraph graph, ViTConfig vit, Normalization norm, Path file) throws IOException {
        Map<String, INDArray> named = TimmWeights.toTimm(graph, vit);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : named.entrySet()) {
            INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
            tensors.put(e.getKey(), new TensorData(a.shape(), a.data().asFloat()));
        }
        Safetensors.write(file, tensors, metadata(vit, norm));
    }

    static Map<String, String> metadata(ViTConfig vit, Normalization norm) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("image_size", Integer.toString(vit.imageSize()));
        m.put("channels", Integer.toString(vit.channels()));
        m.put("patch_size", Integer.toString(vit.patchSize()));
        m.put("dim", Integer.toString(vit.dim()));
        m.put("depth", Integer.toString(vit.depth()));
        m.put("heads", Integer.toString(vit.heads()));
        m.put("mlp_dim", Integer.toString(vit.mlpDim()));
        m.put("num_classes", Integer.toString(vit.numClasses()));
        m.put("pos_embedding", vit.posEmbedding().id());
        m.put("pooling", vit.pooling().id());
        m.put("value_projection", vit.valueProjection().id());
        m.put("tie_qk", Boolean.toString(vit.tieQk()));
        m.put("mean", floats(norm.mean()));
        m.put("std", floats(norm.std()));
        m.put("class_names", String.join(",", norm.classNames()));
        return m;
    }

    public static LoadedModel load(Path file, ImportHints hints) throws IOException {
        SafetensorsFile sf = Safetensors.read(file);
        Map<String, String> meta = sf.metadata();
        Map<String, TensorData> t = sf.tensors();
        ImportHints h = hints == null ? ImportHints.none() : hints;

        TensorData patch = require(file, t, "patch_embed.proj.weight", 4);          // [D, C, P, P]
        int dim = (int) patch.shape()[0];
        int channels = (int) patch.shape()[1];
        int patchSize = (int) patch.shape()[2];
        if (patch.shape()[3] != patchSize)
            throw bad(file, "patch_embed.proj.weight", "has non-square kernel " + Arrays.toString(patch.shape()));
        int depth = 0;
        while (t.containsKey("blocks." + depth + ".norm1.weight")) depth++;
        if (depth == 0) throw bad(file, "blocks.0.norm1.weight", "is missing: a ViT needs at least one block");
        TensorData fc1 = require(file, t, "blocks.0.mlp.fc1.weight", 2);             // [M, D]
        TensorData head = require(file, t, "head.weight", 2);                        // [K, D]
        int mlpDim = (int) fc1.shape()[0];
        int classes = (int) head.shape()[0];

        PosEmbedding pe;
        if (meta.containsKey("pos_embedding")) pe = parse(file, "pos_embedding", () -> PosEmbedding.parse(meta.get("pos_embedding")));
        else if (h.posEmbedding() != null) pe = PosEmbedding.parse(h.posEmbedding());
        else if (t.containsKey(ParameterTable.POS_ROW)) pe = PosEmbedding.LEARNED_2D;
        else if (t.containsKey("pos_embed")) pe = PosEmbedding.LEARNED;
        else pe = PosEmbedding.NONE;

        int imageSize;
        if (meta.containsKey("image_size")) imageSize = intMeta(file, meta, "image_size");
        else if (h.imageSize() != null) imageSize = h.imageSize();
        else if (t.containsKey("pos_embed")) {
            long tokens = t.get("pos_embed").shape()[1];
            int g = (int) Math.round(Math.sqrt(tokens - 1));
            if ((long) g * g != tokens - 1)
                throw bad(file, "pos_embed", "has " + tokens + " tokens; expected 1 + a square number of patches");
            imageSize = g * patchSize;
        } else {
            throw new SafetensorsFormatException(file, "metadata key 'image_size' is missing and cannot be inferred "
                    + "without pos_embed; pass --image-size");
        }

        Integer heads = meta.containsKey("heads") ? Integer.valueOf(intMeta(file, meta, "heads")) : h.heads();
        if (heads == null)
            throw new SafetensorsFormatException(file, "metadata key 'heads' is missing and the head count cannot be "
                    + "inferred from shapes; pass --heads");
        Pooling pooling = meta.containsKey("pooling") ? parse(file, "pooling", () -> Pooling.parse(meta.get("pooling")))
                : h.pooling() != null ? Pooling.parse(h.pooling()) : Pooling.CLS;   // timm's default: the class token
        ValueProjection vp = meta.containsKey("value_projection")
                ? parse(file, "value_projection", () -> ValueProjection.parse(meta.get("value_projection"))) : ValueProjection.LEARNED;
        boolean tieQk = Boolean.parseBoolean(meta.getOrDefault("tie_qk", "false"));

        checkMeta(file, meta, "dim", dim, "patch_embed.proj.weight");
        checkMeta(file, meta, "channels", channels, "patch_embed.proj.weight");
        checkMeta(file, meta, "patch_size", patchSize, "patch_embed.proj.weight");
        checkMeta(file, meta, "depth", depth, "blocks.*");
        checkMeta(file, meta, "mlp_dim", mlpDim, "blocks.0.mlp.fc1.weight");
        checkMeta(file, meta, "num_classes", classes, "head.weight");

        ViTConfig vit;
        try {
            vit = new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, classes, 0, 0, pe, pooling, vp, tieQk);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, "the sizes read from the file do not form a valid ViT: " + e.getMessage());
        }

        float[] mean = meta.containsKey("mean") ? floatsMeta(file, meta, "mean", channels) : h.mean();
        float[] std = meta.containsKey("std") ? floatsMeta(file, meta, "std", channels) : h.std();
        if (mean == null || std == null)
            throw new SafetensorsFormatException(file, "metadata keys 'mean'/'std' are missing; pass --mean and --std "
                    + "(per-channel, comma-separated, in [0,1] units, e.g. --mean 0.4914,0.4822,0.4465)");
        List<String> classNames = meta.containsKey("class_names") && !meta.get("class_names").isEmpty()
                ? List.of(meta.get("class_names").split(",", -1)) : h.classNames();
        if (classNames == null || classNames.isEmpty()) {
            classNames = new ArrayList<>();
            for (int k = 0; k < classes; k++) classNames.add(Integer.toString(k));
        }
        if (classNames.size() != classes)
            throw new SafetensorsFormatException(file, "metadata 'class_names' lists " + classNames.size()
                    + " names but head.weight has " + classes + " classes");
        Normalization norm;
        try {
            norm = new Normalization(mean, std, classNames);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, e.getMessage());
        }

        ComputationGraph graph = ViTGraph.create(vit, TrainSettings.inference(0));
        Map<String, INDArray> named = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : t.entrySet())
            named.put(e.getKey(), Nd4j.create(e.getValue().data(), e.getValue().shape(), 'c'));
        try {
            TimmWeights.fromTimm(named, graph, vit);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, e.getMessage());
        }
        return new LoadedModel(graph, vit, norm, file.toString());
    }

    private static TensorData require(Path file, Map<String, TensorData> t, String name, int rank) throws IOException {
        TensorData d = t.get(name);
        if (d == null) throw bad(file, name, "is missing (not a timm-named ViT?)");
        if (d.shape().length != rank) throw bad(file, name, "has shape " + Arrays.toString(d.shape()) + "; expected rank " + rank);
        return d;
    }

    private static void checkMeta(Path file, Map<String, String> meta, String key, int fromShape, String tensor) throws IOException {
        if (meta.containsKey(key) && intMeta(file, meta, key) != fromShape)
            throw new SafetensorsFormatException(file, "metadata '" + key + "' = " + meta.get(key)
                    + " contradicts tensor " + tensor + ", whose shape gives " + fromShape);
    }

    private static int intMeta(Path file, Map<String, String> meta, String key) throws IOException {
        try {
            return Integer.parseInt(meta.get(key).trim());
        } catch (NumberFormatException e) {
            throw new SafetensorsFormatException(file, "metadata '" + key + "' = '" + meta.get(key) + "' is not an integer");
        }
    }

    private static float[] floatsMeta(Path file, Map<String, String> meta, String key, int n) throws IOException {
        String[] parts = meta.get(key).split(",");
        if (parts.length != n)
            throw new SafetensorsFormatException(file, "metadata '" + key + "' has " + parts.length + " values; expected " + n + " (one per channel)");
        float[] v = new float[n];
        try {
            for (int i = 0; i < n; i++) v[i] = Float.parseFloat(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new SafetensorsFormatException(file, "metadata '" + key + "' = '" + meta.get(key) + "' is not a list of numbers");
        }
        return v;
    }

    private interface Parser<T> {
        T get();
    }

    private static <T> T parse(Path file, String key, Parser<T> p) throws IOException {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, "metadata '" + key + "': " + e.getMessage());
        }
    }

    private static SafetensorsFormatException bad(Path file, String tensor, String what) {
        return new SafetensorsFormatException(file, "tensor '" + tensor + "' " + what);
    }

    static String floats(float[] v) {
        List<String> s = new ArrayList<>();
        for (float f : v) s.add(Float.toString(f));
        return s.stream().collect(Collectors.joining(","));
    }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}
