package io.grokstream.analysis.measure;

import io.grokstream.analysis.forward.Activations;
import io.grokstream.analysis.math.Dense;
import io.grokstream.analysis.math.FourierBasis;
import io.grokstream.analysis.math.GridFourier;
import io.grokstream.analysis.math.Products;
import io.grokstream.contracts.TaskDefined;

import java.util.List;

import static io.grokstream.contracts.Measure.EXCLUDED_LOSS_OF;
import static io.grokstream.contracts.Measure.KEY_FREQUENCIES_OF;
import static io.grokstream.contracts.Measure.KEY_FREQUENCY_COUNT_OF;
import static io.grokstream.contracts.Measure.LOGIT_FREQUENCY_NORMS_OF;
import static io.grokstream.contracts.Measure.RESTRICTED_LOSS_OF;

/**
 * The Fourier progress measures of each target of a task with several targets over the (x, y) grid (the
 * prime-residue task, one target per prime q): each target's logits in the 2-D Fourier basis ({@link GridFourier}),
 * its key frequencies, and its restricted and excluded loss with them. The single-target measures
 * ({@code restricted_loss}, the key frequencies of the neurons) cannot tell which target a frequency serves.
 */
final class TargetFourier {
    private TargetFourier() {
    }

    /**
     * Target {@code t}'s measures, in a sink of their own (the targets are independent: the analyser runs them on its
     * pool).
     *
     * @param trainCells the grid cells of the training rows
     */
    static MeasureSink of(TaskDefined task, int t, Activations acts, ResidueGrid grid, int[] trainCells,
                          FourierBasis basis, Products products) {
        MeasureSink out = new MeasureSink();
        String name = task.targets().get(t).name();
        Dense logits = acts.logits().get(name);
        Dense gridLogits = grid.inGridOrder(logits);
        GridFourier fourier = GridFourier.of(gridLogits, basis, products);
        List<Integer> keys = fourier.keyFrequencies();
        GridFourier.Losses losses = fourier.losses(keys, grid.byCell(TaskLosses.labelsOf(task, t)), trainCells);
        out.spectrum(LOGIT_FREQUENCY_NORMS_OF, name, fourier.frequencyNorms());
        out.spectrum(KEY_FREQUENCIES_OF, name, keys.stream().mapToDouble(Integer::doubleValue).toArray());
        out.scalar(KEY_FREQUENCY_COUNT_OF, name, keys.size());
        out.scalar(RESTRICTED_LOSS_OF, name, losses.restricted());
        out.scalar(EXCLUDED_LOSS_OF, name, losses.excluded());
        return out;
    }
}
