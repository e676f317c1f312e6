package io.grokstream.model;

/**
 * The error function in float64, for the exact GELU ({@link MlpActivation#GELU}); Java's {@code Math} has none.
 *
 * <p>erf(x) = (2 / sqrt(pi)) exp(-x^2) sum_n 2^n x^(2n+1) / (1 * 3 * ... * (2n+1)) (Abramowitz and Stegun 7.1.6):
 * every term is positive, so the sum loses no digits to cancellation; it is summed until a term no longer changes
 * it. Beyond |x| = 6, erf is 1 to within 2e-17, below a double's resolution near 1.
 */
final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6.0) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        double a2 = 2 * a * a;
        for (int n = 1; n < 500; n++) {
            term *= a2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        double r = TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
        return x < 0 ? -r : r;
    }
}
