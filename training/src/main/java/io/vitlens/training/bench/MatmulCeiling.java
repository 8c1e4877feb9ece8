package io.vitlens.training.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's fp32 matrix-product rate through ND4J: C = A B for n x n matrices with {@code Nd4j.gemm}
 * into a preallocated output (the path the layers use), median over repeats. This is the ceiling that
 * training throughput is compared with.
 */
public final class MatmulCeiling {
    private MatmulCeiling() {}

    public static Stats gflops(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);   // warm-up
        double[] rates = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            Nd4j.getExecutioner().commit();
            double s = (System.nanoTime() - t0) / 1e9;
            rates[i] = 2.0 * n * n * (double) n / s / 1e9;
        }
        return Stats.of(rates);
    }
}
