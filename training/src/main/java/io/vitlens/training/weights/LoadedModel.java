package io.vitlens.training.weights;

import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** A model ready for inference or analysis, wherever it came from (checkpoint or safetensors). */
public record LoadedModel(ComputationGraph graph, ViTConfig vit, Normalization normalization, String source) {
}
