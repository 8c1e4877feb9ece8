package io.vitlens.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/** Top-1 accuracy, cross-entropy, per-class accuracy and the confusion matrix of a model over an iterator. */
public final class Evaluator {
    private Evaluator() {}

    public static EvalResult evaluate(ComputationGraph graph, DataSetIterator it, List<String> classNames) {
        int k = classNames.size();
        int[][] confusion = new int[k][k];
        double lossSum = 0;
        int n = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            double[][] probs = graph.outputSingle(false, ds.getFeatures()).toDoubleMatrix(); // [B, K] softmax
            double[][] labels = ds.getLabels().toDoubleMatrix();                             // [B, K] one-hot
            int b = probs.length;
            for (int i = 0; i < b; i++) {
                int truth = argmax(labels[i]);
                int pred = argmax(probs[i]);
                confusion[truth][pred]++;
                lossSum += -Math.log(Math.max(probs[i][truth], 1e-30));
            }
            n += (int) b;
        }
        double[] perClass = new double[k];
        int correct = 0;
        for (int c = 0; c < k; c++) {
            int total = 0;
            for (int p = 0; p < k; p++) total += confusion[c][p];
            correct += confusion[c][c];
            perClass[c] = total == 0 ? 0 : confusion[c][c] / (double) total;
        }
        return new EvalResult(n, n == 0 ? 0 : correct / (double) n, n == 0 ? 0 : lossSum / n, perClass, confusion,
                List.copyOf(classNames));
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
        return best;
    }
}
