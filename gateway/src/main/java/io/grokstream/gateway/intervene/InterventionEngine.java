package io.grokstream.gateway.intervene;

import io.grokstream.contracts.InterventionKind;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.gateway.intervene.InterventionResult.GridTarget;
import io.grokstream.gateway.intervene.InterventionResult.InputLogits;
import io.grokstream.gateway.intervene.InterventionResult.TargetOutcome;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.intervene.FourierAblation;
import io.grokstream.model.intervene.HookedForward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs one intervention on one checkpoint over every input of its task: a clean pass (which also records what the
 * intervention needs: means, the activation over the grid, the patch source) and an intervened pass, both through
 * {@link HookedForward} in chunks of {@link #CHUNK} rows, so memory stays bounded by the chunk, not the task.
 */
public final class InterventionEngine {
    static final int CHUNK = 512;

    private final ModelConfig model;
    private final HookedForward forward;
    private final TaskRows taskRows;
    private final TaskDefined task;
    private final List<TaskDefined.Target> targets;
    private final int[] groupOf;
    private final int[] readPositions;

    /**
     * @throws ApiException 422 when the weights do not fit the model, the task has no data or targets, or the model
     *                      is an architecture the hooked pass does not compute as the reference does
     */
    public InterventionEngine(ModelConfig model, Map<String, Tensor> weights, TaskRows taskRows) {
        this.model = model;
        this.taskRows = taskRows;
        this.task = taskRows.task();
        if (task.targets() == null || task.targets().isEmpty() || task.data().rows() == 0) {
            throw new ApiException(422, "task " + task.taskId() + " has no targets or no rows to intervene on", "taskId");
        }
        try {
            this.forward = new HookedForward(model, weights);
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "the checkpoint does not match the experiment's model: " + e.getMessage(), "step");
        }
        int[][] probe = Arrays.copyOf(task.data().inputs(), Math.min(2, task.data().rows()));
        if (!forward.agreesWithReference(probe)) {
            throw new ApiException(422, "interventions do not support this model's architecture yet: the hooked pass"
                    + " disagrees with the reference forward pass", "step");
        }
        this.targets = task.targets();
        this.groupOf = new int[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            String g = targets.get(t).group();
            int idx = 0;
            for (int i = 0; i < model.outputs().size(); i++) {
                if (model.outputs().get(i).name().equals(g)) {
                    idx = i;
                }
            }
            groupOf[t] = idx;
        }
        TreeSet<Integer> positions = new TreeSet<>();
        targets.forEach(t -> positions.add(t.position()));
        this.readPositions = positions.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Where the first target is read: a request's default position. */
    public int readAt() {
        return targets.get(0).position();
    }

    public InterventionResult run(String experimentId, long step, InterventionRequest request) {
        long t0 = System.nanoTime();
        int[] grid = taskRows.grid();
        int p = task.residues() == null ? 0 : task.residues().p();
        checkFrequencies(request, grid, p);
        int rows = task.data().rows();
        boolean[] train = new boolean[rows];
        for (int r : task.data().trainRows()) {
            train[r] = true;
        }
        int[] read = readPositions;
        if (request.position() >= 0 && Arrays.binarySearch(read, request.position()) < 0) {
            TreeSet<Integer> s = new TreeSet<>();
            Arrays.stream(read).forEach(s::add);
            s.add(request.position());
            read = s.stream().mapToInt(Integer::intValue).toArray();
        }
        InterventionHooks.Recorder recorder = new InterventionHooks.Recorder(request, rows);
        Pass clean = pass(read, recorder, null, request.inputRows());
        HookedForward.Hook hook = InterventionHooks.ablation(request, recorder, grid, p);
        FourierAblation[] logitAblation = logitAblations(request);
        Pass intervened = pass(read, hook, logitAblation, request.inputRows());

        List<TargetOutcome> outcomes = new ArrayList<>();
        List<GridTarget> gridTargets = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            outcomes.add(new TargetOutcome(targets.get(t).name(), clean.scores[t].summary(train),
                    intervened.scores[t].summary(train)));
            if (grid != null) {
                int[] c = new int[grid.length], i = new int[grid.length];
                for (int cell = 0; cell < grid.length; cell++) {
                    c[cell] = clean.scores[t].correct(grid[cell]) ? 1 : 0;
                    i[cell] = intervened.scores[t].correct(grid[cell]) ? 1 : 0;
                }
                gridTargets.add(new GridTarget(targets.get(t).name(), c, i));
            }
        }
        List<InputLogits> logits = new ArrayList<>();
        for (int k = 0; k < request.inputRows().length; k++) {
            int row = request.inputRows()[k];
            for (int t = 0; t < targets.size(); t++) {
                logits.add(new InputLogits(task.data().inputs()[row].clone(), targets.get(t).name(),
                        task.data().labels()[row][t], clean.logits[k][t], intervened.logits[k][t]));
            }
        }
        return new InterventionResult(experimentId, step, describe(request), rows, outcomes,
                grid == null ? null : new InterventionResult.Grid(p, gridTargets), logits, (System.nanoTime() - t0) / 1e6);
    }

    /** Per-target scores and the requested rows' logits of one pass. */
    private record Pass(Scores[] scores, double[][][] logits) {
    }

    private Pass pass(int[] read, HookedForward.Hook hook, FourierAblation[] logitAblation, int[] inputRows) {
        int rows = task.data().rows();
        Scores[] scores = new Scores[targets.size()];
        for (int t = 0; t < scores.length; t++) {
            scores[t] = new Scores(rows);
        }
        Map<Integer, List<Integer>> requested = new LinkedHashMap<>();
        for (int k = 0; k < inputRows.length; k++) {
            requested.computeIfAbsent(inputRows[k], r -> new ArrayList<>()).add(k);
        }
        double[][][] captured = new double[inputRows.length][targets.size()][];
        int[][] inputs = task.data().inputs();
        int[][] labels = task.data().labels();
        for (int from = 0; from < rows; from += CHUNK) {
            int n = Math.min(CHUNK, rows - from);
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = from + i;
            }
            Map<String, double[][][]> out = forward.run(Arrays.copyOfRange(inputs, from, from + n), ids, read, hook);
            for (int t = 0; t < targets.size(); t++) {
                OutputGroup g = model.outputs().get(groupOf[t]);
                int at = Arrays.binarySearch(read, targets.get(t).position());
                for (int i = 0; i < n; i++) {
                    double[] l = out.get(g.name())[i][at];
                    if (logitAblation != null && logitAblation[t] != null) {
                        logitAblation[t].removeInPlace(l, 0, 1);
                    }
                    scores[t].add(from + i, l, labels[from + i][t]);
                    for (int k : requested.getOrDefault(from + i, List.of())) {
                        captured[k][t] = l.clone();
                    }
                }
            }
        }
        return new Pass(scores, captured);
    }

    /** Each target's ablation along its classes (null where its classes admit none of the frequencies). */
    private FourierAblation[] logitAblations(InterventionRequest request) {
        if (request.kind() != InterventionKind.ABLATE_FOURIER_LOGITS) {
            return null;
        }
        FourierAblation[] a = new FourierAblation[targets.size()];
        for (int t = 0; t < a.length; t++) {
            int classes = model.outputs().get(groupOf[t]).classes();
            int max = FourierAblation.maxFrequency(classes);
            if (Arrays.stream(request.frequencies()).allMatch(f -> f <= max)) {
                a[t] = new FourierAblation(classes, request.frequencies());
            }
        }
        return a;
    }

    private void checkFrequencies(InterventionRequest request, int[] grid, int p) {
        if (request.kind() == InterventionKind.ABLATE_FOURIER_ACTIVATION) {
            if (grid == null) {
                throw new ApiException(422, "ablate_fourier_activation needs a task whose inputs are the p x p residue"
                        + " grid; task " + task.taskId() + "'s are not", "kind");
            }
            requireAtMost(request, FourierAblation.maxFrequency(p), "p = " + p);
        }
        if (request.kind() == InterventionKind.ABLATE_FOURIER_LOGITS) {
            int classes = model.outputs().stream().mapToInt(OutputGroup::classes).max().orElse(0);
            requireAtMost(request, FourierAblation.maxFrequency(classes), classes + " classes");
        }
    }

    private static void requireAtMost(InterventionRequest request, int max, String of) {
        for (int f : request.frequencies()) {
            if (f > max) {
                throw ApiException.badRequest("frequencies", "frequency " + f + " is outside [1, " + max + "] for "
                        + of);
            }
        }
    }

    private Map<String, Object> describe(InterventionRequest r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", r.kind().wire());
        switch (r.kind()) {
            case ABLATE_FOURIER_LOGITS -> d.put("frequencies", r.frequencies());
            case ABLATE_FOURIER_ACTIVATION -> {
                d.put("hook", r.hook());
                d.put("position", r.position());
                d.put("frequencies", r.frequencies());
            }
            case ZERO_ABLATE_NEURONS, MEAN_ABLATE_NEURONS -> {
                d.put("hook", r.hook());
                d.put("neurons", r.units());
            }
            case ZERO_ABLATE_HEADS, MEAN_ABLATE_HEADS -> {
                d.put("hook", r.hook());
                d.put("heads", r.units());
            }
            case PATCH_ACTIVATION -> {
                d.put("hook", r.hook());
                d.put("position", r.position());
                d.put("source", task.data().inputs()[r.sourceRow()].clone());
            }
        }
        return d;
    }
}
