package io.vitlens.spark;

import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.data.*;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

class ScratchSparkTest {
    @Test
    void feasibility() throws Exception {
        SyntheticSpec spec = new SyntheticSpec(256, 64, 3L, 4, 0.50, 0.90, 0.05, 0.40, 0.0);
        LoadedDataset data = Datasets.open(new DataConfig("synthetic-shapes", null, 16, 16, 0.0, 5L, null, spec, false));
        ComputationGraph g = ViTGraph.create(ViTConfig.of(16, 3, 4, 32, 2, 2, 64, 4), new TrainSettings(21L, new Adam(3e-3), 0.05, DataType.FLOAT));
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("feasibility").set("spark.ui.enabled", "false");
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            System.out.println("SPARK up in " + (System.nanoTime() - t0) / 1e9);
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(16)
                    .batchSizePerWorker(16).averagingFrequency(Integer.getInteger("avg", 1)).workerPrefetchNumBatches(0).rngSeed(7).exportDirectory("/tmp/scale/export").build();
            SparkComputationGraph net = new SparkComputationGraph(sc, g, tm);
            for (int e = 1; e <= 8; e++) {
                List<DataSet> batches = new ArrayList<>();
                var it = data.trainIterator(e);
                while (it.hasNext()) batches.add(it.next());
                JavaRDD<DataSet> rdd = sc.parallelize(batches, 2);
                long t1 = System.nanoTime();
                net.fit(rdd);
                double secs = (System.nanoTime() - t1) / 1e9;
                var ev = io.vitlens.training.Evaluator.evaluate(net.getNetwork(), data.evalIterator(Split.TRAIN, 0), data.classNames());
                System.out.println("SPARK epoch " + e + " score " + net.getScore() + " trainCE " + ev.loss() + " acc " + ev.accuracy() + " iter " + net.getNetwork().getConfiguration().getIterationCount() + " in " + secs);
            }
        }
    }
}
