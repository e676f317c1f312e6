package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.ExperimentStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8: requests that would exhaust memory are refused up front with the limit named (a model above the
 * parameter limit and a task above the dataset's size limit at the gateway; a model whose activations exceed the
 * trainer's memory budget by the trainer before it trains a step); a worker that is the queue's only member never
 * runs more experiments than its configured concurrency (sampled from the worker itself).
 */
final class ResourceBounds {
    static final int CONCURRENCY = 2;
    static final int SUBMITTED = 4; // experiments submitted at once: twice the worker's 2 slots
    static final int STEPS = 600;

    static void run(Reliability.Context ctx, Outcome out) throws Exception {
        Training t = ctx.training();
        ObjectNode huge = t.body("s8 huge model", 100, 1, 100, 100, false);
        huge.set("model", Api.JSON.readTree("{\"nLayers\": 16, \"dModel\": 4096, \"nHeads\": 64, \"dHead\": 64, \"dMlp\": 16384}"));
        Api.Answer a = ctx.api().post("/api/experiments", Api.DEMO, huge.toString());
        out.figure("hugeModelAnswer", a.status() + " " + a.json().path("error").asText());
        out.check("a huge d_model is refused up front (400) naming the parameter limit",
                a.status() == 400 && a.json().path("error").asText().contains("50000000"));

        ObjectNode hugeTask = t.body("s8 huge task", 100, 1, 100, 100, false);
        hugeTask.remove("taskId");
        hugeTask.set("task", Api.JSON.readTree("{\"kind\": \"modular\", \"parameters\": {\"p\": 100000}}"));
        Api.Answer b = ctx.api().post("/api/experiments", Api.DEMO, hugeTask.toString());
        out.figure("hugeTaskAnswer", b.status() + " " + b.json().path("error").asText());
        out.check("a huge task is refused up front (400) naming the limit",
                b.status() == 400 && b.json().path("error").asText().matches(".*(1000|limit|at most|max).*"));

        // fits the parameter limit, but full-batch activations of 12,769 rows x 16 layers exceed the 4 GiB budget
        ObjectNode wide = t.body("s8 activations over budget", 100, 1, 100, 100, false);
        wide.remove("taskId");
        wide.set("task", Api.JSON.readTree("{\"kind\": \"modular\", \"parameters\": {\"p\": 113}}"));
        wide.set("model", Api.JSON.readTree("{\"nLayers\": 16, \"dModel\": 256, \"nHeads\": 4, \"dHead\": 64, \"dMlp\": 4096}"));
        Api.Answer c = ctx.api().post("/api/experiments", Api.DEMO, wide.toString());
        if (c.status() == 400) {
            out.figure("activationsAnswer", c.status() + " " + c.json().path("error").asText());
            out.check("activations over the memory budget refused up front naming the budget",
                    c.json().path("error").asText().contains("memory"));
        } else {
            String id = c.json().path("experimentId").asText();
            JsonNode d = t.await(id, x -> Training.status(x) == ExperimentStatus.FAILED
                            || Training.status(x) == ExperimentStatus.COMPLETED,
                    "refused by the trainer", 600);
            int points = t.metrics(id).size();
            out.figure("activationsAnswer", c.status() + ", then " + d.path("status").asText() + ": " + d.path("endReason").asText());
            out.check("activations over the memory budget refused by the trainer before a step, naming the budget",
                    Training.status(d) == ExperimentStatus.FAILED && d.path("endReason").asText().contains("memory-budget")
                            && points == 0);
        }

        concurrency(ctx, out);
    }

    /**
     * With the second trainer stopped, the first is the only member of the queue with 4 experiments waiting; its
     * configured concurrency (2 slots) must hold it to 2 while the others wait.
     */
    private static void concurrency(Reliability.Context ctx, Outcome out) throws Exception {
        Training t = ctx.training();
        ctx.platform().control("stop", "trainer2");
        int maxWaitingWhileFull = 0;
        boolean completed;
        WorkerSampler sampler = new WorkerSampler(ctx, List.of("trainer"), 200);
        try {
            List<String> ids = t.submitAll(SUBMITTED, i -> t.body("s8 concurrency " + i, STEPS, 31 + i, 500, 500,
                    false));
            long deadline = System.currentTimeMillis() + 600_000;
            while (true) {
                Map<String, Integer> byStatus = new HashMap<>();
                for (String id : ids) {
                    byStatus.merge(t.detail(id).path("status").asText(), 1, Integer::sum);
                }
                if (byStatus.getOrDefault(ExperimentStatus.RUNNING.wire(), 0) >= CONCURRENCY) {
                    maxWaitingWhileFull = Math.max(maxWaitingWhileFull,
                            byStatus.getOrDefault(ExperimentStatus.SUBMITTED.wire(), 0));
                }
                completed = byStatus.getOrDefault(ExperimentStatus.COMPLETED.wire(), 0) == ids.size();
                if (completed || System.currentTimeMillis() > deadline
                        || byStatus.keySet().stream().anyMatch(st -> st.equals(ExperimentStatus.FAILED.wire())
                                || st.equals(ExperimentStatus.CANCELLED.wire()))) {
                    break;
                }
                Api.sleep(500);
            }
        } finally {
            sampler.close();
            ctx.platform().control("start", "trainer2");
        }
        int most = sampler.maxPerWorker().getOrDefault("trainer", 0);
        out.figure("concurrencyScale", SUBMITTED + " experiments of " + STEPS + " steps submitted at once, one trainer"
                + " (the other stopped) with concurrency " + CONCURRENCY);
        out.figure("configuredConcurrency", CONCURRENCY);
        out.figure("maxRunsSampledOnTheWorker", most);
        out.figure("workerSamples", sampler.samples());
        out.figure("maxExperimentsWaitingWhileTheWorkerWasFull", maxWaitingWhileFull);
        out.check("all " + SUBMITTED + " experiments completed on the one worker", completed);
        out.check("the worker never ran more than its concurrency, and reached it while others waited",
                most == CONCURRENCY && maxWaitingWhileFull >= 1);
    }
}
