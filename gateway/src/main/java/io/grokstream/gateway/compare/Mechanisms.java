package io.grokstream.gateway.compare;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.gateway.view.ExperimentSummary;
import io.grokstream.gateway.view.MeasurePoint;
import io.grokstream.gateway.view.ViewState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The mechanisms of several runs side by side (issue 19, item 4): each run's setup (seed, optimizer, GrokFast),
 * its phase steps (the folded {@code PhaseDetected} events), its final key frequencies with the steps they were
 * found, and its final accuracies; then which frequencies every run shares and which only one run has. A task with
 * several targets gets the same per target, from the per-target families of {@link Measure}
 * ({@code key_frequencies.<t>}, {@code restricted_loss.<t>}, ...).
 */
public final class Mechanisms {
    private Mechanisms() {
    }

    /**
     * One final key frequency and when it was found.
     *
     * @param firstSeen   the first measured step whose key frequencies hold it
     * @param stableSince the first step of the unbroken stretch of measured steps holding it up to the last one
     */
    public record KeyFrequency(int frequency, long firstSeen, long stableSince) {
    }

    public record PhaseStep(String phase, long step, String evidence) {
    }

    /** One target of a task with several targets; a measure the analysis did not write is null. */
    public record Target(String name, List<KeyFrequency> keyFrequencies, Double restrictedLoss, Double excludedLoss,
                         Double trainAccuracy, Double testAccuracy) {
    }

    /**
     * @param measuredStep the last analysed step, null before the first
     * @param targets      empty unless the task has several targets
     */
    public record Run(String experimentId, String name, String status, long seed, String optimizer,
                      double learningRate, double weightDecay, String grokfast, long step, Long measuredStep,
                      List<PhaseStep> phases, Long memorisedStep, Long grokStep, List<KeyFrequency> keyFrequencies,
                      Double trainAccuracy, Double validationAccuracy, List<Target> targets) {
    }

    /**
     * @param shared in every compared run's final key frequencies
     * @param unique per experiment: its final key frequencies no other compared run has
     */
    public record Split(List<Integer> shared, Map<String, List<Integer>> unique) {
    }

    /** @param targets per target name, the split over the runs that have that target */
    public record Comparison(List<Run> runs, Split frequencies, Map<String, Split> targets) {
    }

    /** The comparison of {@code submissions} (already checked readable), in their order. */
    public static Comparison of(ViewState views, List<ExperimentSubmitted> submissions) {
        List<Run> runs = submissions.stream().map(e -> run(views, e)).toList();
        Split overall = split(runs, r -> r.keyFrequencies());
        Map<String, Split> targets = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>();
        runs.forEach(r -> r.targets().forEach(t -> names.add(t.name())));
        for (String name : names) {
            List<Run> having = runs.stream().filter(r -> r.targets().stream().anyMatch(t -> t.name().equals(name)))
                    .toList();
            targets.put(name, split(having, r -> r.targets().stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow().keyFrequencies()));
        }
        return new Comparison(runs, overall, targets);
    }

    private static Run run(ViewState views, ExperimentSubmitted e) {
        String id = e.experimentId();
        ExperimentSummary s = views.summary(id).orElseThrow();
        List<MeasurePoint> history = views.measures(id);
        List<PhaseStep> phases = s.phases().stream().sorted(Comparator.comparingLong(ExperimentSummary.Phase::step))
                .map(p -> new PhaseStep(p.phase(), p.step(), p.evidence())).toList();
        List<KeyFrequency> keys = found(history.stream().map(p -> new Keys(p.step(), p.keyFrequencies())).toList());
        List<Target> targets = targets(views, id, history);
        ExperimentSummary.Latest latest = s.latest();
        return new Run(id, e.name(), s.status(), e.seed(), e.optimizer().kind().wire(), e.optimizer().lr(),
                e.optimizer().weightDecay(), e.grokfast() == null ? "none" : e.grokfast().kind(), s.step(),
                history.isEmpty() ? null : history.get(history.size() - 1).step(), phases, s.memorisedStep(),
                s.grokStep(), keys, latest == null ? null : latest.trainAccuracy(),
                latest == null ? null : latest.validationAccuracy(), targets);
    }

    /** The targets the latest analysis names (per-target accuracy or key frequencies), each with its history. */
    private static List<Target> targets(ViewState views, String id, List<MeasurePoint> history) {
        ProgressMeasured latest = views.latestMeasured(id).orElse(null);
        if (latest == null) {
            return List.of();
        }
        Map<String, Double> scalars = latest.scalars() == null ? Map.of() : latest.scalars();
        TreeSet<String> names = new TreeSet<>();
        scalars.keySet().stream().filter(Measure.TEST_ACCURACY_OF::names)
                .forEach(n -> names.add(n.substring(Measure.TEST_ACCURACY_OF.wire().length())));
        if (latest.spectra() != null) {
            latest.spectra().keySet().stream().filter(Measure.KEY_FREQUENCIES_OF::names)
                    .forEach(n -> names.add(n.substring(Measure.KEY_FREQUENCIES_OF.wire().length())));
        }
        if (names.isEmpty()) {
            return List.of();
        }
        List<MeasurePoint> withKeys = views.histories().withSpectra(id, history, Measure.KEY_FREQUENCIES_OF::names);
        List<Target> out = new ArrayList<>();
        for (String t : names) {
            String wire = Measure.KEY_FREQUENCIES_OF.member(t);
            List<Keys> steps = withKeys.stream().filter(p -> p.spectra().containsKey(wire))
                    .map(p -> new Keys(p.step(), Arrays.stream(p.spectra().get(wire)).mapToObj(v -> (int) v).toList()))
                    .toList();
            out.add(new Target(t, found(steps), scalars.get(Measure.RESTRICTED_LOSS_OF.member(t)),
                    scalars.get(Measure.EXCLUDED_LOSS_OF.member(t)), scalars.get(Measure.TRAIN_ACCURACY_OF.member(t)),
                    scalars.get(Measure.TEST_ACCURACY_OF.member(t))));
        }
        return out;
    }

    /** The key frequencies of one measured step. */
    record Keys(long step, List<Integer> frequencies) {
    }

    /** The last step's key frequencies, each with its first step and the start of its final unbroken stretch. */
    static List<KeyFrequency> found(List<Keys> steps) {
        if (steps.isEmpty()) {
            return List.of();
        }
        List<KeyFrequency> out = new ArrayList<>();
        for (int f : new TreeSet<>(steps.get(steps.size() - 1).frequencies())) {
            long first = steps.stream().filter(k -> k.frequencies().contains(f)).findFirst().orElseThrow().step();
            int i = steps.size() - 1;
            while (i > 0 && steps.get(i - 1).frequencies().contains(f)) {
                i--;
            }
            out.add(new KeyFrequency(f, first, steps.get(i).step()));
        }
        return out;
    }

    /** Shared by every run, and per run those no other run has; no runs: nothing shared. */
    static Split split(List<Run> runs, Function<Run, List<KeyFrequency>> keysOf) {
        Map<String, TreeSet<Integer>> sets = new LinkedHashMap<>();
        runs.forEach(r -> sets.put(r.experimentId(), new TreeSet<>(keysOf.apply(r).stream()
                .map(KeyFrequency::frequency).toList())));
        TreeSet<Integer> shared = sets.isEmpty() ? new TreeSet<>() : new TreeSet<>(sets.values().iterator().next());
        sets.values().forEach(shared::retainAll);
        Map<String, List<Integer>> unique = new LinkedHashMap<>();
        sets.forEach((id, own) -> {
            TreeSet<Integer> only = new TreeSet<>(own);
            sets.forEach((other, theirs) -> {
                if (!other.equals(id)) {
                    only.removeAll(theirs);
                }
            });
            unique.put(id, List.copyOf(only));
        });
        return new Split(List.copyOf(shared), unique);
    }
}
