package io.grokstream.analysis.math;

/**
 * Who computes the large matrix products of the analysis: plain Java ({@link #JAVA}) or a faster engine (ONNX
 * Runtime's MLAS in the service). Row-major {@code a [n, k]} times {@code b [k, m]}.
 */
@FunctionalInterface
public interface Products {

    double[] multiply(double[] a, double[] b, int n, int k, int m);

    Products JAVA = (a, b, n, k, m) -> {
        double[] out = new double[n * m];
        Dense.multiplyInto(a, b, out, n, k, m);
        return out;
    };
}
