package io.grokstream.reproduce.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.chart.SvgChart;
import io.grokstream.reproduce.Claim;
import io.grokstream.reproduce.Plots;
import io.grokstream.reproduce.Report;
import io.grokstream.reproduce.Requests;
import io.grokstream.reproduce.RunData;
import io.grokstream.reproduce.Scale;
import io.grokstream.reproduce.Study;
import io.grokstream.reproduce.StudyRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import static io.grokstream.reproduce.Plots.num;
import static io.grokstream.reproduce.Plots.step;

/**
 * Lee, Kang, Lee, Lee and Kim (2024), "Grokfast: Accelerated Grokking by Amplifying Slow Gradients": a low-pass
 * filter on the gradient (EMA, Algorithm 2, or a moving average over a window, Algorithm 1) added back with gain
 * lambda makes the network generalise in far fewer steps. Here on Nanda's p = 113 task against the nanda study's
 * baseline run.
 */
public final class GrokFastStudy implements Study {
    /** The accuracy whose first crossing times generalisation in Lee et al.'s comparisons. */
    public static final double TARGET = 0.95;
    /** Lee et al.'s reported speed-up on their algorithmic-data setup is about 40-50x; "the order" means 10x or more. */
    public static final double PAPER_ORDER = 10;

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
                + "g + lambda * EMA_alpha(g) (GrokFast-EMA, alpha 0.98, lambda 2) or g + lambda * mean of the last w "
                + "gradients (GrokFast-MA, w 100, lambda 5). They report grokking about 40-50x sooner. This study "
                + "trains Nanda's p = 113 configuration three times on the platform (no filter, EMA, MA; same seed, "
                + "same data) and compares the steps to 95% validation accuracy.";
    }

    @Override
    public String scaleNote(Scale scale) {
        return "The baseline is the nanda study's run (" + (scale == Scale.FULL ? "40,000" : "10,000") + " steps); the "
                + "filtered runs stop at 99% validation accuracy or 10,000 steps" + (scale == Scale.FULL ? " (40,000 at full scale)." : ".")
                + " Lee et al. used p = 97 and their own model sizes; the task and model here are Nanda's.";
    }

    @Override
    public List<StudyRun> runs(Scale scale) {
        long max = scale == Scale.FULL ? NandaStudy.FULL_STEPS : NandaStudy.REDUCED_STEPS;
        String suffix = scale == Scale.FULL ? " (full)" : "";
        String emaName = "reproduce grokfast: ema alpha=0.98 lambda=2" + suffix;
        ObjectNode ema = Requests.stopAt(Requests.nanda(emaName, 0, max), 0.99);
        ema.putObject("grokfast").put("kind", "ema").put("alpha", 0.98).put("lambda", 2.0);
        String maName = "reproduce grokfast: ma window=100 lambda=5" + suffix;
        ObjectNode ma = Requests.stopAt(Requests.nanda(maName, 0, max), 0.99);
        ma.putObject("grokfast").put("kind", "ma").put("window", 100).put("lambda", 5.0);
        return List.of(NandaStudy.baseline(scale), new StudyRun("ema", emaName, ema), new StudyRun("ma", maName, ma));
    }

    @Override
    public void analyse(Map<String, RunData> runs, Scale scale, Report report) {
        SvgChart val = new SvgChart("Validation accuracy: baseline vs GrokFast", "step", "validation accuracy").yRange(0, 1);
        SvgChart loss = new SvgChart("Validation loss: baseline vs GrokFast", "step", "validation loss (log)").logY();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("baseline", "no filter");
        labels.put("ema", "GrokFast-EMA (0.98, 2)");
        labels.put("ma", "GrokFast-MA (100, 5)");
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> steps = new LinkedHashMap<>();
        Map<String, OptionalLong> toTarget = new LinkedHashMap<>();
        labels.keySet().forEach(k -> toTarget.put(k, runs.get(k).metric("validationAccuracy").firstAtOrAbove(TARGET)));
        OptionalLong baseStep = toTarget.get("baseline");
        for (var e : labels.entrySet()) {
            RunData run = runs.get(e.getKey());
            Plots.add(val, e.getValue(), run.metric("validationAccuracy"));
            Plots.add(loss, e.getValue(), run.metric("validationLoss"));
            OptionalLong s = toTarget.get(e.getKey());
            OptionalLong memorised = run.metric("trainAccuracy").firstAtOrAbove(0.99);
            String speedup = s.isPresent() && baseStep.isPresent()
                    ? String.format(Locale.ROOT, "%.2fx", baseStep.getAsLong() / (double) s.getAsLong()) : "-";
            rows.add(List.of(e.getValue(), run.experimentId(), step(memorised), step(s),
                    s.isPresent() ? num(run.trainingSecondsTo(s.getAsLong())) : "-",
                    num(run.metric("stepMillis").median()), speedup));
            steps.put(e.getKey(), s.isPresent() ? s.getAsLong() : null);
        }
        val.horizontal(TARGET, "95%");
        report.heading("Steps to 95% validation accuracy");
        report.table(List.of("run", "experiment", "train acc >= 0.99", "val acc >= 0.95", "seconds to 0.95",
                "median ms/step", "speed-up (steps)"), rows);
        report.figure("validation-accuracy.svg", val.render(), "Validation accuracy of the three runs (same seed and data).");
        report.figure("validation-loss.svg", loss.render(), "Validation loss on a log axis.");
        report.put("stepsTo95", steps);
        for (String key : List.of("ema", "ma")) {
            OptionalLong s = toTarget.get(key);
            String label = labels.get(key);
            if (baseStep.isEmpty() || s.isEmpty()) {
                report.claim(Claim.of(label + " reaches 95% validation accuracy in fewer steps than the baseline.",
                        s.isPresent() && baseStep.isEmpty(),
                        "baseline at " + step(baseStep) + ", " + label + " at " + step(s)));
                continue;
            }
            double ratio = baseStep.getAsLong() / (double) s.getAsLong();
            report.put("speedup." + key, ratio);
            report.claim(Claim.of(label + " reaches 95% validation accuracy in fewer steps than the baseline.", ratio > 1,
                    String.format(Locale.ROOT, "baseline %,d steps, %s %,d steps: %.2fx", baseStep.getAsLong(), label, s.getAsLong(), ratio)));
            report.claim(Claim.of(label + " speeds grokking up by the order Lee et al. report (about 40-50x; held at 10x or more).",
                    ratio >= PAPER_ORDER, String.format(Locale.ROOT, "%.2fx on this task and model", ratio)));
        }
    }
}
