package io.vitlens.core.model;

import io.vitlens.core.PosEmbedding;
import io.vitlens.core.Pooling;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ModelSerializer round trip of the hand-written layers: configuration, parameters, updater state, outputs. */
class SerializationTest {

    @TempDir
    File dir;

    @Test
    void restoredModelIsIdenticalAndTrainsOnIdentically() throws IOException {
        ViTConfig cfg = TestModels.tiny().withPosEmbedding(PosEmbedding.LEARNED_2D).withPooling(Pooling.MEAN);
        ComputationGraph g = ViTGraph.create(cfg, new TrainSettings(1, new Adam(1e-2), 0.05, DataType.FLOAT));
        MultiDataSet batch = new MultiDataSet(TestModels.images(cfg, 4, 2, DataType.FLOAT),
                TestModels.labels(cfg, 4, 3, DataType.FLOAT));
        for (int i = 0; i < 3; i++) g.fit(batch);

        File f = new File(dir, "vit.zip");
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph r = ModelSerializer.restoreComputationGraph(f, true);

        assertEquals(g.getConfiguration(), r.getConfiguration());
        assertEquals(ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson()), g.getConfiguration());
        assertEquals(0.0, g.params().sub(r.params()).amaxNumber().doubleValue(), 0.0);
        INDArray state = g.getUpdater().getStateViewArray();
        assertEquals(0.0, state.sub(r.getUpdater().getStateViewArray()).amaxNumber().doubleValue(), 0.0);
        assertTrue(state.amaxNumber().doubleValue() > 0, "Adam has state after 3 steps");
        INDArray x = batch.getFeatures(0);
        assertEquals(0.0, g.outputSingle(x).sub(r.outputSingle(x)).amaxNumber().doubleValue(), 0.0);

        g.fit(batch);
        r.fit(batch);
        assertEquals(0.0, g.params().sub(r.params()).amaxNumber().doubleValue(), 0.0, "next step identical");
    }
}
