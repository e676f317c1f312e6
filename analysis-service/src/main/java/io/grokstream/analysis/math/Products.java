package io.grokstream.analysis.math;

/**
 * Who computes the large matrix products of the analysis: plain Java ({@link #JAVA}) or a faster engine (ONNX
 * Runtime's MLAS in the service). Row-major {@code a [n, k]} times {@code b [k, m]}.
 */
@FunctionalInterface
public interface Products {

    double[] multiply(double[] a, double[] b, int n, int k, int m);

    /**
     * The same with float32 operands and result, for the large activations an engine that computes in float32 keeps
     * float32 end to end ({@link #float32()}); here: widened, multiplied in double, rounded.
     */
    default float[] multiply(float[] a, float[] b, int n, int k, int m) {
        double[] product = multiply(widen(a), widen(b), n, k, m);
        float[] out = new float[product.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) product[i];
        }
        return out;
    }

    /** Whether this engine computes in float32 whatever it is given, so that float32 operands lose nothing. */
    default boolean float32() {
        return false;
    }

    /** float32 values as doubles, exactly. */
    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** double values rounded to float32. */
    static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    Products JAVA = (a, b, n, k, m) -> {
        double[] out = new double[n * m];
        Dense.multiplyInto(a, b, out, n, k, m);
        return out;
    };
}
