package io.grokstream.gateway.intervene;

import io.grokstream.contracts.InterventionKind;
import io.grokstream.model.intervene.FourierAblation;
import io.grokstream.model.intervene.HookedForward;
import io.grokstream.model.reference.Activation;

/**
 * The hooks of an intervention: {@link Recorder} gathers, during the clean pass, what the intervention needs to know
 * about the whole input set (each position's mean, the activation over the input grid); {@link #ablation} then builds
 * the hook of the intervened pass from it. Rows are task rows.
 */
final class InterventionHooks {
    private InterventionHooks() {
    }

    /** Width of the last axis of an activation [batch, seq, width]. */
    private static int width(Activation a) {
        int[] s = a.shape();
        return s[2];
    }

    /** Records, in the clean pass, the sums per (position, channel) and the activation at one position per row. */
    static final class Recorder implements HookedForward.Hook {
        private final InterventionRequest request;
        private final boolean mean;
        private final boolean grid;
        private double[][] sums;
        private double[][] byRow;
        private int rows;

        Recorder(InterventionRequest request, int taskRows) {
            this.request = request;
            this.mean = request.kind() == InterventionKind.MEAN_ABLATE_NEURONS || request.kind() == InterventionKind.MEAN_ABLATE_HEADS;
            this.grid = request.kind() == InterventionKind.ABLATE_FOURIER_ACTIVATION || request.kind() == InterventionKind.PATCH_ACTIVATION;
            this.byRow = grid ? new double[taskRows][] : null;
        }

        @Override
        public boolean wants(String name) {
            return (mean || grid) && name.equals(request.hook());
        }

        @Override
        public void at(String name, Activation a, int[] taskRows) {
            int[] shape = a.shape();
            int batch = shape[0], seq = shape[1], width = width(a);
            double[] v = a.values();
            if (mean) {
                if (sums == null) {
                    sums = new double[seq][width];
                }
                for (int b = 0; b < batch; b++) {
                    for (int s = 0; s < seq; s++) {
                        for (int c = 0; c < width; c++) {
                            sums[s][c] += v[(b * seq + s) * width + c];
                        }
                    }
                }
                rows += batch;
            }
            if (grid) {
                int s = request.position();
                for (int b = 0; b < batch; b++) {
                    if (request.kind() == InterventionKind.PATCH_ACTIVATION && taskRows[b] != request.sourceRow()) {
                        continue; // patching needs the source's activation only
                    }
                    int off = (b * seq + s) * width;
                    byRow[taskRows[b]] = java.util.Arrays.copyOfRange(v, off, off + width);
                }
            }
        }

        double[][] means() {
            double[][] m = new double[sums.length][];
            for (int s = 0; s < sums.length; s++) {
                m[s] = sums[s].clone();
                for (int c = 0; c < m[s].length; c++) {
                    m[s][c] /= rows;
                }
            }
            return m;
        }

        /** The activation at the request's position of task row {@code row}. */
        double[] at(int row) {
            return byRow[row];
        }
    }

    /**
     * The intervened pass's hook.
     *
     * @param gridRows rowOf[x * p + y] (Fourier activation ablation only)
     */
    static HookedForward.Hook ablation(InterventionRequest request, Recorder clean, int[] gridRows, int p) {
        return switch (request.kind()) {
            case ABLATE_FOURIER_LOGITS -> HookedForward.Hook.NONE;
            case ZERO_ABLATE_NEURONS, ZERO_ABLATE_HEADS -> channels(request, null);
            case MEAN_ABLATE_NEURONS, MEAN_ABLATE_HEADS -> channels(request, clean.means());
            case ABLATE_FOURIER_ACTIVATION -> replace(request, fourierGrid(request, clean, gridRows, p));
            case PATCH_ACTIVATION -> {
                double[] source = clean.at(request.sourceRow());
                yield replace(request, row -> source);
            }
        };
    }

    /** Sets the request's channels at every position to zero, or to {@code means[position][channel]}. */
    private static HookedForward.Hook channels(InterventionRequest request, double[][] means) {
        return new Only(request.hook()) {
            @Override
            public void at(String name, Activation a, int[] rows) {
                int[] shape = a.shape();
                int width = width(a);
                double[] v = a.values();
                for (int b = 0; b < shape[0]; b++) {
                    for (int s = 0; s < shape[1]; s++) {
                        for (int c : request.channels()) {
                            v[(b * shape[1] + s) * width + c] = means == null ? 0.0 : means[s][c];
                        }
                    }
                }
            }
        };
    }

    /** The activation at the request's position replaced, row by row, with what {@code values} gives for the task row. */
    private static HookedForward.Hook replace(InterventionRequest request, java.util.function.IntFunction<double[]> values) {
        return new Only(request.hook()) {
            @Override
            public void at(String name, Activation a, int[] rows) {
                int[] shape = a.shape();
                int width = width(a);
                for (int b = 0; b < shape[0]; b++) {
                    System.arraycopy(values.apply(rows[b]), 0, a.values(), (b * shape[1] + request.position()) * width, width);
                }
            }
        };
    }

    /** The clean activation over the p x p grid with the request's frequencies removed, looked up by task row. */
    private static java.util.function.IntFunction<double[]> fourierGrid(InterventionRequest request, Recorder clean,
                                                                       int[] gridRows, int p) {
        int width = clean.at(gridRows[0]).length;
        double[] grid = new double[p * p * width];
        int[] cellOf = new int[gridRows.length];
        for (int cell = 0; cell < gridRows.length; cell++) {
            System.arraycopy(clean.at(gridRows[cell]), 0, grid, cell * width, width);
            cellOf[gridRows[cell]] = cell;
        }
        new FourierAblation(p, request.frequencies()).removeFromGrid(grid, width);
        return row -> java.util.Arrays.copyOfRange(grid, cellOf[row] * width, (cellOf[row] + 1) * width);
    }

    /** A hook that wants one activation. */
    private abstract static class Only implements HookedForward.Hook {
        private final String name;

        Only(String name) {
            this.name = name;
        }

        @Override
        public boolean wants(String n) {
            return n.equals(name);
        }
    }
}
