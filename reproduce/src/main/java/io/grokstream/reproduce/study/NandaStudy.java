package io.grokstream.reproduce.study;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.chart.SvgChart;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.reproduce.Claim;
import io.grokstream.reproduce.Plots;
import io.grokstream.reproduce.Report;
import io.grokstream.reproduce.Requests;
import io.grokstream.reproduce.RunData;
import io.grokstream.reproduce.Scale;
import io.grokstream.reproduce.Series;
import io.grokstream.reproduce.SetupRow;
import io.grokstream.reproduce.Study;
import io.grokstream.reproduce.StudyRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

import static io.grokstream.reproduce.Plots.num;
import static io.grokstream.reproduce.Plots.step;

/**
 * Nanda, Chan, Lieberum, Smith and Steinhardt (2023), "Progress measures for grokking via mechanistic
 * interpretability": p = 113 modular addition trained to grokking, its Fourier circuit (key frequencies, neurons
 * explained by one frequency) and the progress measures (restricted and excluded loss, §5.1) that move before
 * the test loss does, then cleanup (weight norm falling, §5.2).
 */
public final class NandaStudy implements Study {
    /** Nanda et al.'s seed found these key frequencies (§4.1). */
    public static final Set<Integer> PAPER_KEY_FREQUENCIES = Set.of(14, 35, 41, 42, 52);
    /** 433 of 512 neurons had over 85% of their variance explained by one frequency (§4.2). */
    public static final double PAPER_EXPLAINED_SHARE = 433.0 / 512;
    /** Accuracy that counts as "memorised" (train) and "grokked" (validation). */
    public static final double DONE = 0.99;
    /** The loss level whose crossing times the progress measures against the test loss (nats). */
    public static final double LOSS_LEVEL = 1.0;

    public static final long REDUCED_STEPS = 10_000;
    public static final long FULL_STEPS = NandaPreset.STEPS;

    @Override
    public String name() {
        return "nanda";
    }

    @Override
    public boolean retrospective() {
        return true;
    }

    @Override
    public String title() {
        return "Progress measures for grokking (Nanda et al. 2023)";
    }

    @Override
    public String summary() {
        return "Nanda et al. (2023) train a one-layer transformer on (x + y) mod 113 with 30% of the pairs and "
                + "weight decay 1, see it memorise and then, thousands of steps later, generalise (grok); they find it "
                + "computes addition with a few key Fourier frequencies and define progress measures (restricted and "
                + "excluded loss) that move before the test loss does, splitting training into memorisation, circuit "
                + "formation and cleanup. This study trains the same configuration on the platform and checks those "
                + "claims against the analysis service's measures.";
    }

    @Override
    public String scaleNote(Scale scale) {
        return scale == Scale.FULL
                ? "Full scale: " + String.format(Locale.ROOT, "%,d", FULL_STEPS) + " full-batch steps as in the paper."
                : "Reduced scale: " + String.format(Locale.ROOT, "%,d", REDUCED_STEPS) + " full-batch steps instead of the "
                + "paper's 40,000 (the model, task, optimizer and data are the paper's); on this platform the run "
                + "groks near step 5,000, so 10,000 steps cover grokking and cleanup. `--full` runs 40,000.";
    }

    /** The run the nanda and grokfast studies share. */
    public static StudyRun baseline(Scale scale) {
        String name = "reproduce nanda: baseline" + (scale == Scale.FULL ? " (full)" : "");
        return new StudyRun("baseline", name, Requests.nanda(name, 0, scale == Scale.FULL ? FULL_STEPS : REDUCED_STEPS));
    }

    @Override
    public List<StudyRun> runs(Scale scale) {
        return List.of(baseline(scale));
    }

    /** Nanda et al.'s setup (Section 3, Appendix A; NandaPreset) beside this study's run. */
    static List<SetupRow> setup(Scale scale) {
        return List.of(SetupRow.same("task", "(x + y) mod 113, tokens x y =, 30% of the 12,769 pairs"),
                SetupRow.differs("split", "torch's permutation under seed 598", "the dataset service's under seed 598",
                        "another 30% of the same pairs"),
                SetupRow.same("model", "1 layer, d_model 128, 4 heads of 32, ReLU MLP 512, no LayerNorm, learned positions"),
                SetupRow.same("optimizer", "full-batch AdamW, lr 1e-3, weight decay 1, betas 0.9 / 0.98, 10 warm-up steps"),
                SetupRow.differs("initialisation", "randn / sqrt(d_model) (torch draws)", "randn / sqrt(d_model) (SplitMix64 draws)",
                        "same distributions, other draws"),
                scale == Scale.FULL ? SetupRow.same("steps", "40,000")
                        : SetupRow.differs("steps", "40,000", "10,000", "grokking and clean-up end before step 10,000 here"),
                SetupRow.differs("hardware", "GPU, float32", "CPU (libtorch 2.7.1), float32", ""));
    }

    @Override
    public void analyse(Map<String, RunData> runs, Scale scale, Report report) {
        // none of the lines that differ changes what the claims are about: every claim is decided within the run
        report.setup(setup(scale), Set.of("task", "model", "optimizer"));
        RunData run = runs.get("baseline");
        Series trainAcc = run.metric("trainAccuracy");
        Series valAcc = run.metric("validationAccuracy");
        OptionalLong memorised = trainAcc.firstAtOrAbove(DONE);
        OptionalLong grokked = valAcc.firstAtOrAbove(DONE);
        long m = memorised.orElse(0);
        long g = grokked.orElse(run.finalStep());

        report.heading("Training curves");
        report.figure("loss.svg", Plots.losses(run, "Train and validation loss, p = 113").render(),
                "Train and validation loss (log axis). Dashed lines: phases detected by the analysis service.");
        report.figure("accuracy.svg", Plots.accuracies(run, "Train and validation accuracy, p = 113").render(),
                "Accuracy on the 30% training split and the 70% held out.");
        report.table(List.of("quantity", "step", "seconds of training"), List.of(
                List.of("train accuracy >= 0.99 (memorised)", step(memorised), memorised.isPresent() ? num(run.trainingSecondsTo(m)) : "-"),
                List.of("validation accuracy >= 0.99 (grokked)", step(grokked), grokked.isPresent() ? num(run.trainingSecondsTo(g)) : "-"),
                List.of("end of run", step(OptionalLong.of(run.finalStep())), num(run.trainingSecondsTo(run.finalStep())))));

        report.claim(grokked.isPresent() && memorised.isPresent() && g > m
                ? Claim.of("The network memorises first and generalises (groks) much later.", g >= 2 * m,
                String.format(Locale.ROOT, "train accuracy >= 0.99 at step %,d; validation accuracy >= 0.99 at step %,d "
                        + "(%.1fx later; held when at least 2x)", m, g, g / (double) Math.max(1, m)))
                : Claim.of("The network memorises first and generalises (groks) much later.", false,
                "train accuracy >= 0.99 at " + step(memorised) + ", validation accuracy >= 0.99 at " + step(grokked)));

        progressMeasures(run, m, g, grokked.isPresent(), report);
        circuit(run, m, g, report);
        cleanup(run, g, report);
        phases(run, report);

        report.put("experimentId", run.experimentId());
        report.put("memorisedStep", memorised.isPresent() ? m : null);
        report.put("grokStep", grokked.isPresent() ? g : null);
        report.put("grokSeconds", grokked.isPresent() ? run.trainingSecondsTo(g) : null);
        report.put("finalStep", run.finalStep());
        report.put("finalValidationAccuracy", valAcc.isEmpty() ? null : valAcc.lastValue());
    }

    private void progressMeasures(RunData run, long m, long g, boolean grokked, Report report) {
        Series testLoss = run.measure(Measure.TEST_LOSS);
        Series restrictedFinal = run.retrospective("restrictedLoss");
        Series excludedFinal = run.retrospective("excludedLoss");
        Series restrictedLive = run.measure(Measure.RESTRICTED_LOSS);
        report.heading("Progress measures (§5.1)");
        report.text("Nanda et al. measure every checkpoint with the **final** network's key frequencies. The analysis "
                + "service does the same after training (the gateway's `GET /api/experiments/{id}/retrospective`), here with "
                + run.retrospectiveFrequencies() + ". While training runs it can only use the frequencies visible in each "
                + "snapshot; those live measures are shown second.");
        SvgChart chart = new SvgChart("Progress measures with the final key frequencies", "step", "loss (log)").logY();
        Plots.add(chart, "train loss", run.measure(Measure.TRAIN_LOSS));
        Plots.add(chart, "test loss", testLoss);
        Plots.add(chart, "restricted loss", restrictedFinal);
        Plots.add(chart, "excluded loss", excludedFinal);
        chart.horizontal(LOSS_LEVEL, LOSS_LEVEL + " nat");
        report.figure("progress-measures.svg", Plots.phases(chart, run).render(),
                "Restricted loss keeps only the key frequencies' components of the logits; excluded loss removes them and "
                        + "is measured on the training data (Nanda et al. §5.1). Every snapshot measured with the final key "
                        + "frequencies " + run.retrospectiveFrequencies() + ".");
        SvgChart live = new SvgChart("Live progress measures (per-snapshot key frequencies)", "step", "loss (log)").logY();
        Plots.add(live, "train loss", run.measure(Measure.TRAIN_LOSS));
        Plots.add(live, "test loss", testLoss);
        Plots.add(live, "restricted loss", restrictedLive);
        Plots.add(live, "excluded loss", run.measure(Measure.EXCLUDED_LOSS));
        live.horizontal(LOSS_LEVEL, LOSS_LEVEL + " nat");
        report.figure("progress-measures-live.svg", Plots.phases(live, run).render(),
                "The same measures as the analysis service published them during training: before key frequencies are "
                        + "visible in a snapshot the restricted loss sits at the per-class-mean level and the excluded loss "
                        + "equals the train loss.");
        OptionalLong firstKeys = OptionalLong.empty();
        for (RunData.KeyFrequencies k : run.keyFrequencies()) {
            if (!k.frequencies().isEmpty()) {
                firstKeys = OptionalLong.of(k.step());
                break;
            }
        }
        report.put("keyFrequenciesFirstFoundStep", firstKeys.isPresent() ? firstKeys.getAsLong() : null);
        OptionalLong t = testLoss.firstBelow(LOSS_LEVEL, m);
        report.put("testLossBelowLevelStep", t.isPresent() ? t.getAsLong() : null);
        String grokStep = grokked ? String.format(Locale.ROOT, "%,d", g) : "never";

        if (restrictedFinal.isEmpty() || testLoss.isEmpty()) {
            String why = "no retrospective measures (the analysis service did not answer, or the run has no key frequencies)";
            report.claim(Claim.noData("Restricted loss (final key frequencies) falls before test loss.", why));
            report.claim(Claim.noData("The progress measures move before the grokking step.", why));
            report.claim(Claim.noData("Excluded loss (final key frequencies) rises during circuit formation.", why));
        } else {
            OptionalLong r = restrictedFinal.firstBelow(LOSS_LEVEL, m);
            report.claim(Claim.of("Restricted loss (final key frequencies) falls before test loss.",
                    r.isPresent() && (t.isEmpty() || r.getAsLong() < t.getAsLong()),
                    String.format(Locale.ROOT, "after memorisation, restricted loss < %.1f nat at step %s; test loss < %.1f nat at step %s",
                            LOSS_LEVEL, step(r), LOSS_LEVEL, step(t))));
            report.claim(Claim.of("The progress measures move before the grokking step.", r.isPresent() && grokked && r.getAsLong() < g,
                    String.format(Locale.ROOT, "restricted loss < %.1f nat at step %s; validation accuracy >= 0.99 at step %s",
                            LOSS_LEVEL, step(r), grokStep)));
            OptionalDouble atM = excludedFinal.valueAt(Math.max(m, excludedFinal.step(0)));
            OptionalDouble peak = excludedFinal.maxBetween(m, g);
            OptionalLong peakStep = excludedFinal.argMaxBetween(m, g);
            boolean rises = atM.isPresent() && peak.isPresent() && peak.getAsDouble() >= 2 * atM.getAsDouble();
            report.claim(Claim.of("Excluded loss (final key frequencies) rises during circuit formation.", rises,
                    atM.isPresent() && peak.isPresent()
                            ? String.format(Locale.ROOT, "excluded loss %s at memorisation (step %,d), peak %s at step %s before "
                                    + "grokking (%.1fx; held when at least 2x)", num(atM.getAsDouble()), m, num(peak.getAsDouble()),
                            step(peakStep), peak.getAsDouble() / Math.max(1e-12, atM.getAsDouble()))
                            : "no excluded loss between memorisation and grokking"));
            report.put("restrictedBelowLevelStep", r.isPresent() ? r.getAsLong() : null);
            report.put("excludedLossAtMemorised", atM.isPresent() ? atM.getAsDouble() : null);
            report.put("excludedLossPeak", peak.isPresent() ? peak.getAsDouble() : null);
        }
        if (!restrictedLive.isEmpty() && !testLoss.isEmpty()) {
            OptionalLong rl = restrictedLive.firstBelow(LOSS_LEVEL, m);
            report.claim(Claim.of("Restricted loss measured live (per-snapshot key frequencies: the neurons' and the embedding's) falls before test loss.",
                    rl.isPresent() && (t.isEmpty() || rl.getAsLong() < t.getAsLong()),
                    String.format(Locale.ROOT, "restricted loss < %.1f nat at step %s; test loss < %.1f nat at step %s; key "
                            + "frequencies first visible at step %s", LOSS_LEVEL, step(rl), LOSS_LEVEL, step(t), step(firstKeys))));
            report.put("liveRestrictedBelowLevelStep", rl.isPresent() ? rl.getAsLong() : null);
        }
        // The live detector (the neurons' frequencies and the embedding's, analysis' FormingFrequencies) must end
        // where the retrospective analysis does: the final snapshot's live key frequencies are the final network's.
        List<RunData.KeyFrequencies> keys = run.keyFrequencies();
        List<Integer> lastLive = keys.isEmpty() ? List.of() : keys.get(keys.size() - 1).frequencies();
        if (lastLive.isEmpty() || run.retrospectiveFrequencies() == null || run.retrospectiveFrequencies().isEmpty()) {
            report.claim(Claim.noData("The final live key frequencies equal the retrospective ones.",
                    "no live or no retrospective key frequencies"));
        } else {
            report.claim(Claim.of("The final live key frequencies equal the retrospective ones.",
                    new java.util.TreeSet<>(lastLive).equals(new java.util.TreeSet<>(run.retrospectiveFrequencies())),
                    "live " + lastLive + " at step " + keys.get(keys.size() - 1).step() + ", retrospective "
                            + run.retrospectiveFrequencies()));
        }
    }

    private void circuit(RunData run, long m, long g, Report report) {
        report.heading("The Fourier circuit (§4)");
        List<RunData.KeyFrequencies> keys = run.keyFrequencies();
        List<Integer> last = keys.isEmpty() ? List.of() : keys.get(keys.size() - 1).frequencies();
        JsonNode latest = run.latestMeasures();
        double share = latest == null ? Double.NaN : latest.path("scalars").path(Measure.EXPLAINED_NEURON_SHARE.wire()).asDouble(Double.NaN);
        JsonNode norms = latest == null ? null : latest.path("spectra").path(Measure.EMBED_FREQUENCY_NORMS.wire());
        if (norms != null && norms.isArray() && norms.size() > 0) {
            double[] x = new double[norms.size()];
            double[] y = new double[norms.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;   // index 0 is the constant component, index k the pair cos(2 pi k x / p), sin(2 pi k x / p)
                y[i] = norms.get(i).asDouble();
            }
            report.figure("embedding-frequencies.svg", new SvgChart("Embedding norm per Fourier frequency (final snapshot)",
                            "frequency k (0 = constant)", "norm of the cos/sin components").bars().line("W_E", x, y).render(),
                    "The embedding's weight on each frequency's sine and cosine directions (Nanda et al. Fig. 3). "
                            + "Key frequencies found: " + last + ".");
        }
        SvgChart sparsity = new SvgChart("Fourier sparsity and neuron clustering", "step", "value").yRange(0, 1);
        Plots.add(sparsity, "Gini, embedding", run.measure(Measure.GINI_EMBED));
        Plots.add(sparsity, "Gini, unembedding", run.measure(Measure.GINI_UNEMBED));
        Plots.add(sparsity, "neurons explained", run.measure(Measure.EXPLAINED_NEURON_SHARE));
        report.figure("sparsity.svg", Plots.phases(sparsity, run).render(),
                "Gini coefficient of the Fourier component norms (rising = sparser in Fourier space) and the share of MLP "
                        + "neurons with over 85% of their variance explained by one frequency.");
        Series gini = run.measure(Measure.GINI_EMBED);
        OptionalDouble giniM = gini.valueAt(m);
        OptionalDouble giniG = gini.valueAt(g);
        report.claim(giniM.isEmpty() || giniG.isEmpty()
                ? Claim.noData("The embedding becomes sparse in the Fourier basis before grokking (Gini rises).", "no Gini measure")
                : Claim.of("The embedding becomes sparse in the Fourier basis before grokking (Gini rises).",
                giniG.getAsDouble() >= giniM.getAsDouble() + 0.1,
                String.format(Locale.ROOT, "Gini of W_E's Fourier norms %.3f at memorisation (step %,d), %.3f at validation "
                        + "accuracy 0.99 (step %,d); held when it rose by 0.1 or more", giniM.getAsDouble(), m, giniG.getAsDouble(), g)));
        List<Integer> overlap = new ArrayList<>(last);
        overlap.retainAll(PAPER_KEY_FREQUENCIES);
        report.claim(Claim.of("The trained network uses a few key frequencies (the paper's seed: {14, 35, 41, 42, 52}; other seeds 3 to 6).",
                last.size() >= 3 && last.size() <= 6,
                "key frequencies at the final snapshot: " + last + " (" + last.size() + "; in common with the paper's seed: "
                        + overlap + ")"));
        report.claim(Double.isNaN(share)
                ? Claim.noData("Most MLP neurons are explained by one frequency (the paper: 433 of 512 above 0.85).", "no measures")
                : Claim.of("Most MLP neurons are explained by one frequency (the paper: 433 of 512 above 0.85).", share >= 0.70,
                String.format(Locale.ROOT, "%.1f%% of 512 neurons (%d) have more than 85%% of their variance explained by one "
                        + "frequency; the paper %.1f%%; held at 70%% or more", 100 * share, Math.round(share * 512), 100 * PAPER_EXPLAINED_SHARE)));
        report.put("keyFrequencies", last);
        report.put("explainedNeuronShare", Double.isNaN(share) ? null : share);
    }

    private void cleanup(RunData run, long g, Report report) {
        Series wsq = run.metric("weightSquaredTotal");
        report.heading("Cleanup (§5.2)");
        SvgChart chart = new SvgChart("Total sum of squared weights", "step", "sum of squared weights");
        Plots.add(chart, "all parameters", wsq);
        report.figure("weight-norm.svg", Plots.phases(chart, run).render(),
                "Weight decay removes the memorising components once the circuit does the work (cleanup).");
        OptionalLong cleanupStart = run.phase("cleanup");
        long c = cleanupStart.orElse(g);
        OptionalDouble atC = wsq.valueAt(c);
        if (atC.isEmpty() || wsq.isEmpty() || wsq.lastStep() <= c) {
            report.claim(Claim.noData("The total sum of squared weights falls during cleanup.",
                    "the run ends before the cleanup phase (step " + c + ")"));
            return;
        }
        double end = wsq.lastValue();
        report.claim(Claim.of("The total sum of squared weights falls during cleanup.", end <= 0.9 * atC.getAsDouble(),
                String.format(Locale.ROOT, "%s at step %,d (%s) -> %s at step %,d (%.0f%% lower; held at 10%% or more)",
                        num(atC.getAsDouble()), c, cleanupStart.isPresent() ? "cleanup detected" : "grokking step",
                        num(end), wsq.lastStep(), 100 * (1 - end / atC.getAsDouble()))));
        report.put("weightSquaredAtCleanup", atC.getAsDouble());
        report.put("weightSquaredAtEnd", end);
    }

    private void phases(RunData run, Report report) {
        List<RunData.Phase> phases = run.phases();
        List<List<String>> rows = new ArrayList<>();
        for (RunData.Phase p : phases) {
            rows.add(List.of(p.name(), String.format(Locale.ROOT, "%,d", p.step()), p.evidence()));
        }
        report.heading("Phases");
        report.table(List.of("phase", "step", "evidence (analysis service)"), rows);
        List<String> order = List.of("memorised", "circuit_formation", "cleanup", "grokked");
        long previous = -1;
        boolean inOrder = true;
        StringBuilder evidence = new StringBuilder();
        for (String name : order) {
            OptionalLong s = run.phase(name);
            evidence.append(name).append(" ").append(step(s)).append("; ");
            if (s.isEmpty() || s.getAsLong() < previous) {
                inOrder = false;
            } else {
                previous = s.getAsLong();
            }
        }
        report.claim(Claim.of("Training splits into memorisation, circuit formation and cleanup, in that order.", inOrder,
                evidence.substring(0, evidence.length() - 2)));
        report.put("phases", phases.stream().map(p -> Map.of("phase", p.name(), "step", p.step())).toList());
    }
}
