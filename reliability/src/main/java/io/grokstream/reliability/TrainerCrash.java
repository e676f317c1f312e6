package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.chart.SvgChart;
import io.grokstream.contracts.ExperimentStatus;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scenario 1: {@code kill -9} the trainer process that owns a run; the other trainer (same consumer group) resumes it
 * from the last checkpoint; the gateway's history has every step once; the result equals an uninterrupted run's.
 */
final class TrainerCrash {
    static final int STEPS = 1500;
    static final int KILL_AT = 650;
    static final int SEED = 7;

    static void run(Reliability.Context ctx, Outcome out) {
        Training t = ctx.training();
        String crashed = t.submit(t.body("s1 crashed run", STEPS, SEED, 100, 100, false));
        JsonNode before = t.awaitStep(crashed, KILL_AT, 600);
        String owner = before.path("worker").asText();
        long stepAtKill = before.path("step").asLong();
        out.check("the run's owner is one of the two trainer processes", owner.equals("trainer") || owner.equals("trainer2"));
        long killedAt = System.currentTimeMillis(); // the signal goes out at once; control returns once it has exited
        ctx.platform().control("kill", owner);
        Reliability.log("killed -9 %s at step %d", owner, stepAtKill);
        out.figure("scale", "p=23 modular addition (50% train), d_model 64, 4 heads, d_mlp 256, " + STEPS
                + " steps, checkpoint and snapshot every 100, metrics every " + Training.METRICS_EVERY + ", seed " + SEED);
        out.figure("killedWorker", owner);
        out.figure("gatewayStepAtKill", stepAtKill);

        JsonNode resumed = t.await(crashed, d -> !d.path("worker").asText().equals(owner) && !d.path("worker").asText().isEmpty()
                && d.path("step").asLong() > stepAtKill, "resumed by the other trainer", 300);
        double failover = (System.currentTimeMillis() - killedAt) / 1000.0;
        out.figure("failoverSeconds", failover);
        out.figure("resumedBy", resumed.path("worker").asText());
        String reference = t.submit(t.body("s1 uninterrupted run", STEPS, SEED, 100, 100, false));
        JsonNode done = t.awaitCompleted(crashed, 900);
        // the killed trainer comes back only now, so the rebalance it causes cannot move the run again
        ctx.platform().control("start", owner);
        t.awaitCompleted(reference, 900);
        out.check("the crashed run completed", Training.status(done) == ExperimentStatus.COMPLETED);
        out.check("another worker finished it", !done.path("worker").asText().equals(owner));

        JsonNode history = t.metrics(crashed);
        List<String> problems = Training.stepProblems(history, STEPS);
        out.figure("metricPoints", history.size());
        out.check("the gateway's metric history has every step exactly once", problems.isEmpty());
        if (!problems.isEmpty()) {
            out.note("history problems: " + problems.subList(0, Math.min(10, problems.size())));
        }
        Timeline timeline = Timeline.of(ctx.platform(), crashed);
        out.figure("lastStepPublishedBeforeKill", timeline.lastStepBefore(1));
        out.figure("resumedFromStep", timeline.resumedFrom(1));
        out.figure("stepsTrainedAgain", timeline.lastStepBefore(1) - timeline.resumedFrom(1));
        out.figure("metricStepsPublishedTwiceOnTopic", timeline.repeated());
        Set<Long> distinct = new HashSet<>();
        history.forEach(point -> distinct.add(point.path("step").asLong()));
        out.figure("distinctStepsInHistory", distinct.size());
        out.figure("expectedSteps", STEPS / Training.METRICS_EVERY);
        out.check("the second worker resumed from a checkpoint (not from step 0) at or before the last published step",
                timeline.resumedFrom(1) > 0 && timeline.resumedFrom(1) <= timeline.lastStepBefore(1));
        out.note("the resuming worker trained steps " + timeline.resumedFrom(1) + "-" + timeline.lastStepBefore(1)
                + " again from the checkpoint and published their " + timeline.repeated() + " metric points a second"
                + " time on the topic; the gateway keeps one point per step");
        out.chart("crash-steps.svg", timeline.plot(new SvgChart("Scenario 1: steps over time, kill -9 of " + owner + " marked",
                "seconds since training started", "step (StepMetrics on the topic)").fromZero())
                .marker((killedAt - timeline.start()) / 1000.0, "kill -9").render());

        JsonNode referenceHistory = t.metrics(reference);
        int differing = 0;
        for (int i = 0; i < Math.min(history.size(), referenceHistory.size()); i++) {
            for (String f : List.of("trainLoss", "validationLoss", "trainAccuracy", "validationAccuracy")) {
                if (history.get(i).path(f).asDouble() != referenceHistory.get(i).path(f).asDouble()) {
                    differing++;
                    break;
                }
            }
        }
        JsonNode last = history.get(history.size() - 1);
        JsonNode refLast = referenceHistory.get(referenceHistory.size() - 1);
        out.figure("finalValidationAccuracy", last.path("validationAccuracy").asDouble());
        out.figure("referenceFinalValidationAccuracy", refLast.path("validationAccuracy").asDouble());
        out.figure("finalTrainLoss", last.path("trainLoss").asDouble());
        out.figure("referenceFinalTrainLoss", refLast.path("trainLoss").asDouble());
        out.figure("pointsDifferingFromReference", differing);
        out.check("final accuracy and loss equal the uninterrupted run's (same seed, CPU)",
                last.path("validationAccuracy").asDouble() == refLast.path("validationAccuracy").asDouble()
                        && last.path("trainLoss").asDouble() == refLast.path("trainLoss").asDouble()
                        && last.path("validationLoss").asDouble() == refLast.path("validationLoss").asDouble());
        out.check("every metric point equals the uninterrupted run's", differing == 0 && history.size() == referenceHistory.size());
        ctx.remember("s1", crashed);
    }

}
