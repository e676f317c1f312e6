package io.grokstream.trainer.engine;

/**
 * Spots GrokFast's "slingshot" (Lee et al. 2024; Thilak et al. 2022): a train loss that has fallen to a tiny value
 * jumps by orders of magnitude and then recovers. It is reported, never rolled back: the SPIKES run saw
 * 7e-8 -> 0.28 at step 5,200 recover within 200 steps.
 *
 * <p>A spike: the previous step's loss was below {@code floor} and this step's loss is above both {@code floor}
 * and {@code factor} times the previous one.
 */
final class LossSpikeDetector {

    private final double floor;
    private final double factor;
    private double previous = Double.NaN;

    LossSpikeDetector(double floor, double factor) {
        this.floor = floor;
        this.factor = factor;
    }

    /** Feeds one step's train loss; true if it is a spike relative to the step before. */
    boolean observe(double loss) {
        double prev = previous;
        previous = loss;
        return prev < floor && loss > floor && loss > factor * prev;
    }

    double previous() {
        return previous;
    }

    void reset(double previousLoss) {
        previous = previousLoss;
    }
}
