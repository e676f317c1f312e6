package io.grokstream.reproduce.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.chart.SvgChart;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.LeeGrokfastPreset;
import io.grokstream.reproduce.Claim;
import io.grokstream.reproduce.Plots;
import io.grokstream.reproduce.Report;
import io.grokstream.reproduce.Requests;
import io.grokstream.reproduce.RunData;
import io.grokstream.reproduce.Scale;
import io.grokstream.reproduce.SetupRow;
import io.grokstream.reproduce.Study;
import io.grokstream.reproduce.StudyRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static io.grokstream.reproduce.Plots.num;
import static io.grokstream.reproduce.Plots.step;

/**
 * Lee, Kang, Lee, Lee and Kim (2024), "Grokfast: Accelerated Grokking by Amplifying Slow Gradients", at their own
 * setup ({@link LeeGrokfastPreset}: x * y mod 97, y != 0, tokens {@code x ∘ y =}, half the pairs, their 2-layer
 * transformer, plain Adam on batches of 512): the baseline, GrokFast-EMA and GrokFast-MA, each with its README's
 * weight decay, and the steps each takes to 95% validation accuracy against their README's table.
 */
public final class GrokFastStudy implements Study {
    /** Their table's target. */
    public static final double TARGET = LeeGrokfastPreset.TARGET_ACCURACY;
    /** "The order" of their 40-50x: a speed-up of 10x or more. */
    public static final double PAPER_ORDER = 10;
    /** A claimed step count is matched when ours lies within this factor of it (one seed; theirs is one seed too). */
    public static final double STEP_FACTOR = 2;
    /** The baseline's budget: their 39,890 steps with room to spare. */
    public static final long BASELINE_STEPS = 80_000;
    /** The filtered runs' budget. */
    public static final long FILTERED_STEPS = 20_000;
    /** The aspects on which a deviation would change what the claims are about. */
    static final Set<String> MATERIAL = Set.of("task", "train fraction", "model", "optimizer", "batch size",
            "weight decay", "filters");

    @Override
    public String name() {
        return "grokfast";
    }

    @Override
    public String title() {
        return "Grokfast: accelerated grokking by amplifying slow gradients (Lee et al. 2024)";
    }

    @Override
    public String summary() {
        return "Lee et al. (2024) treat the gradient over training as a signal and amplify its slow component: "
                + "g + lambda * EMA_alpha(g) (GrokFast-EMA) or g + lambda * the mean of the last w gradients "
                + "(GrokFast-MA). Their README's table, on x * y mod 97 with their 2-layer transformer: the baseline "
                + "reaches 95% validation accuracy at step 39,890, EMA (alpha 0.98, lambda 2, weight decay 0.005) at "
                + "910 (x43.8), MA (window 100, lambda 5, weight decay 0.01) at 790 (x50.5). This study trains the "
                + "three runs at that setup on the platform (same seed and split) and checks each number.";
    }

    @Override
    public String scaleNote(Scale scale) {
        return "Lee et al.'s own setup at every scale: the baseline stops at 95% validation accuracy or "
                + String.format(Locale.ROOT, "%,d", BASELINE_STEPS) + " steps, the filtered runs at 95% or "
                + String.format(Locale.ROOT, "%,d", FILTERED_STEPS) + " steps.";
    }

    @Override
    public List<StudyRun> runs(Scale scale) {
        return List.of(
                run("baseline", "reproduce grokfast (Lee et al.'s setup): baseline wd=0", GrokFastConfig.none(),
                        LeeGrokfastPreset.BASELINE_WEIGHT_DECAY, BASELINE_STEPS),
                run("ema", "reproduce grokfast (Lee et al.'s setup): ema alpha=0.98 lambda=2 wd=0.005",
                        LeeGrokfastPreset.ema(), LeeGrokfastPreset.EMA_WEIGHT_DECAY, FILTERED_STEPS),
                run("ma", "reproduce grokfast (Lee et al.'s setup): ma window=100 lambda=5 wd=0.01",
                        LeeGrokfastPreset.ma(), LeeGrokfastPreset.MA_WEIGHT_DECAY, FILTERED_STEPS));
    }

    private static StudyRun run(String key, String name, GrokFastConfig filter, double weightDecay, long steps) {
        ObjectNode body = Requests.stopAt(Requests.snapshots(Requests.of(name, 0, steps, LeeGrokfastPreset.model(),
                LeeGrokfastPreset.optimizer(weightDecay)), 1000, 100), TARGET);
        Requests.task(body, LeeGrokfastPreset.KIND, Requests.object().put("operation", LeeGrokfastPreset.OPERATION)
                .put("p", LeeGrokfastPreset.P).put("layout", LeeGrokfastPreset.LAYOUT.wire())
                .put("trainFraction", LeeGrokfastPreset.TRAIN_FRACTION).put("seed", 0));
        if (filter.enabled()) {
            ObjectNode g = body.putObject("grokfast").put("kind", filter.kind()).put("lambda", filter.lambda());
            if ("ema".equals(filter.kind())) {
                g.put("alpha", filter.alpha());
            } else {
                g.put("window", filter.window()).put("reduction", filter.reduction());
            }
        }
        return new StudyRun(key, name, body);
    }

    /** Lee et al.'s setup beside this study's runs. */
    static List<SetupRow> setup() {
        return List.of(
                SetupRow.same("task", "x * y mod 97, y != 0, tokens x ∘ y = -> c (9,312 pairs)"),
                SetupRow.differs("train fraction", "50%", "50%", "their split is torch.randperm under seed 0; ours "
                        + "the dataset service's seeded split: another half of the same pairs"),
                SetupRow.same("model", "2 pre-LayerNorm blocks (residual after LN1), width 128, 4 heads with biases, "
                        + "GELU MLP 512, final LayerNorm, untied head"),
                SetupRow.differs("head and positions", "head over all 99 tokens; 5 position rows",
                        "head over the 97 residues; 4 position rows", "the labels never name '∘' or '=' and the "
                        + "fifth position is never read"),
                SetupRow.differs("initialisation", "PyTorch's module defaults (torch RNG, seed 0)",
                        "PyTorch's module defaults (SplitMix64, seed 0)", "same distributions, other draws"),
                SetupRow.same("optimizer", "Adam (L2 weight decay), lr 1e-3, betas 0.9 / 0.98, eps 1e-8"),
                SetupRow.differs("warm-up", "LambdaLR over 10 updates, first update at lr 0",
                        "linear over 10 steps, first step at lr 1e-4", "the schedule shifted by one step"),
                SetupRow.same("batch size", "512, reshuffled every epoch (10 batches, the last of 48)"),
                SetupRow.same("weight decay", "baseline 0, EMA 0.005, MA 0.01"),
                SetupRow.same("filters", "EMA alpha 0.98 lambda 2; MA window 100 lambda 5, mean, once the window is full"),
                SetupRow.differs("validation", "once per epoch (every 10 steps)", "every 10 steps", ""),
                SetupRow.differs("hardware", "GPU, float32", "CPU (libtorch 2.7.1), float32", ""));
    }

    @Override
    public void analyse(Map<String, RunData> runs, Scale scale, Report report) {
        boolean atPaper = report.setup(setup(), MATERIAL);
        SvgChart val = new SvgChart("Validation accuracy at Lee et al.'s setup", "step (log)", "validation accuracy")
                .logX().yRange(0, 1);
        SvgChart loss = new SvgChart("Validation loss at Lee et al.'s setup", "step (log)", "validation loss (log)")
                .logX().logY();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("baseline", "no filter, wd 0");
        labels.put("ema", "GrokFast-EMA (0.98, 2), wd 0.005");
        labels.put("ma", "GrokFast-MA (100, 5), wd 0.01");
        Map<String, Long> claimed = Map.of("baseline", LeeGrokfastPreset.CLAIMED_BASELINE_STEPS,
                "ema", LeeGrokfastPreset.CLAIMED_EMA_STEPS, "ma", LeeGrokfastPreset.CLAIMED_MA_STEPS);
        Map<String, OptionalLong> toTarget = new LinkedHashMap<>();
        labels.keySet().forEach(k -> toTarget.put(k, runs.get(k).metric("validationAccuracy").firstAtOrAbove(TARGET)));
        OptionalLong base = toTarget.get("baseline");
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> steps = new LinkedHashMap<>();
        for (var e : labels.entrySet()) {
            RunData run = runs.get(e.getKey());
            Plots.add(val, e.getValue(), run.metric("validationAccuracy"));
            Plots.add(loss, e.getValue(), run.metric("validationLoss"));
            OptionalLong s = toTarget.get(e.getKey());
            String speedup = s.isPresent() && base.isPresent()
                    ? String.format(Locale.ROOT, "%.1fx", base.getAsLong() / (double) s.getAsLong()) : "-";
            long paper = claimed.get(e.getKey());
            String paperSpeedup = e.getKey().equals("baseline") ? "-" : String.format(Locale.ROOT, "%.1fx",
                    LeeGrokfastPreset.CLAIMED_BASELINE_STEPS / (double) paper);
            rows.add(List.of(e.getValue(), run.experimentId(), step(run.metric("trainAccuracy").firstAtOrAbove(0.99)),
                    step(s), String.format(Locale.ROOT, "%,d", paper), speedup, paperSpeedup,
                    s.isPresent() ? num(run.trainingSecondsTo(s.getAsLong())) : "-", num(run.metric("stepMillis").median())));
            steps.put(e.getKey(), s.isPresent() ? s.getAsLong() : null);
        }
        val.horizontal(TARGET, "95%");
        report.heading("Steps to 95% validation accuracy, beside Lee et al.'s table");
        report.table(List.of("run", "experiment", "train acc >= 0.99", "val acc >= 0.95 (here)", "Lee et al.",
                "speed-up (here)", "speed-up (Lee et al.)", "seconds to 0.95", "median ms/step"), rows);
        report.figure("validation-accuracy.svg", val.render(), "Validation accuracy of the three runs (same seed, split "
                + "and initial weights), log step axis.");
        report.figure("validation-loss.svg", loss.render(), "Validation loss, log axes.");
        report.put("stepsTo95", steps);
        Map<String, String> cutShort = new LinkedHashMap<>();
        runs.forEach((key, run) -> {
            long budget = key.equals("baseline") ? BASELINE_STEPS : FILTERED_STEPS;
            if (toTarget.containsKey(key) && toTarget.get(key).isEmpty() && !run.ended()) {
                cutShort.put(key, String.format(Locale.ROOT, "still training at step %,d, not yet at 95%%", run.finalStep()));
            } else if (toTarget.containsKey(key) && toTarget.get(key).isEmpty() && run.ended() && run.finalStep() < budget) {
                cutShort.put(key, String.format(Locale.ROOT, "the run ended %s at step %,d, before 95%% or its budget "
                        + "of %,d steps (%s)", run.status(), run.finalStep(), budget,
                        run.detail().path("endReason").asText("no reason given")));
            }
        });
        claims(report, atPaper, toTarget, claimed, labels, runs.get("baseline").metric("validationAccuracy").lastStep(),
                cutShort);
    }

    private static void claims(Report report, boolean atPaper, Map<String, OptionalLong> toTarget,
                               Map<String, Long> claimed, Map<String, String> labels, long baselineReached,
                               Map<String, String> cutShort) {
        for (String key : List.of("baseline", "ema", "ma")) {
            OptionalLong s = toTarget.get(key);
            String statement = labels.get(key) + " reaches 95% validation accuracy at about Lee et al.'s "
                    + String.format(Locale.ROOT, "%,d", claimed.get(key)) + " steps (held within a factor of "
                    + (int) STEP_FACTOR + ").";
            if (s.isEmpty()) {
                // a run cut short (failed, cancelled) has not shown whether it reaches 95% within the budget
                report.claim(cutShort.containsKey(key) ? Claim.noData(statement, cutShort.get(key))
                        : Claim.checked(atPaper, statement, false, "not reached within the budget"));
                continue;
            }
            double ratio = s.getAsLong() / (double) claimed.get(key);
            report.claim(Claim.checked(atPaper, statement, ratio <= STEP_FACTOR && ratio >= 1 / STEP_FACTOR,
                    String.format(Locale.ROOT, "step %,d here, %,d there (%.2f of theirs)", s.getAsLong(),
                            claimed.get(key), ratio)));
        }
        OptionalLong base = toTarget.get("baseline");
        for (String key : List.of("ema", "ma")) {
            OptionalLong s = toTarget.get(key);
            String label = labels.get(key);
            String statement = label + " speeds grokking up by the order Lee et al. report ("
                    + String.format(Locale.ROOT, "x%.1f", LeeGrokfastPreset.CLAIMED_BASELINE_STEPS / (double) claimed.get(key))
                    + "; held at 10x or more).";
            if (s.isEmpty()) {
                report.claim(Claim.checked(atPaper, statement, false, label + " did not reach 95%"));
            } else if (base.isEmpty()) {
                // a baseline not at 95% by its last step makes the speed-up a lower bound
                double lower = baselineReached / (double) s.getAsLong();
                report.claim(lower >= PAPER_ORDER ? Claim.checked(atPaper, statement, true, String.format(Locale.ROOT,
                        "baseline not at 95%% by step %,d, %s at %,d: at least %.1fx", baselineReached, label,
                        s.getAsLong(), lower)) : Claim.noData(statement, String.format(Locale.ROOT, "the baseline had not "
                        + "reached 95%% by step %,d: the speed-up is at least %.1fx, not yet decided", baselineReached, lower)));
            } else {
                double ratio = base.getAsLong() / (double) s.getAsLong();
                report.put("speedup." + key, ratio);
                report.claim(Claim.checked(atPaper, statement, ratio >= PAPER_ORDER, String.format(Locale.ROOT,
                        "baseline %,d steps, %s %,d steps: %.1fx", base.getAsLong(), label, s.getAsLong(), ratio)));
            }
        }
    }
}
