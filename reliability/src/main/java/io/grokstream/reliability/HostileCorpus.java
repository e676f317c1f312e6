package io.grokstream.reliability;

import io.grokstream.contracts.Topics;
import io.grokstream.testkit.HostileRequests;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scenario 5: the gateway test's generated corpus of malformed and hostile requests, against the live gateway: no
 * 5xx, every 4xx names the problem in a JSON {@code error} (or is the HTTP server's own bare 413/414/431), nothing
 * published. Requests are paced under the per-key rate limit; a 429 is waited out and the probe sent again.
 */
final class HostileCorpus {
    static final Set<Integer> HTTP_LAYER_REFUSALS = Set.of(413, 414, 431);
    static final int MIN_CORPUS = 500;

    static void run(Reliability.Context ctx, Outcome out) throws Exception {
        URL base = new URL(ctx.api().base + "/");
        String own = ctx.recalled("s1");
        var openapi = ctx.api().read("/q/openapi?format=json", null);
        List<HostileRequests.Probe> corpus = HostileRequests.corpus(HostileRequests.endpoints(openapi), own);
        out.figure("endpoints", HostileRequests.endpoints(openapi).size());
        out.figure("requests", corpus.size());
        out.check("the corpus has at least " + MIN_CORPUS + " requests", corpus.size() >= MIN_CORPUS);
        long experimentsBefore = ctx.platform().endOffsets(Topics.EXPERIMENTS);
        long tasksBefore = ctx.platform().endOffsets(Topics.TASKS);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int retried = 0;
        long t0 = System.nanoTime();
        for (HostileRequests.Probe p : corpus) {
            HostileRequests.Answer a;
            int attempts = 0;
            while (true) {
                long sent = System.nanoTime();
                a = HostileRequests.send(base, p.method(), p.path(), p.body(), p.contentType(), Api.DEMO);
                if (a.status() != 429 || ++attempts > 30) {
                    break;
                }
                retried++;
                Api.sleep(1000);
            }
            statuses.merge(a.status(), 1, Integer::sum);
            if (a.status() >= 500) {
                failures.add(a.status() + " for " + p.method() + " " + abbreviate(p.path()) + " [" + p.what() + "]");
            } else if (a.status() >= 400 && HostileRequests.errorOf(a.body()) == null
                    && !(HTTP_LAYER_REFUSALS.contains(a.status()) && a.body().length == 0)) {
                failures.add(a.status() + " without a JSON error for " + p.method() + " " + abbreviate(p.path()) + " [" + p.what() + "]");
            } else if (p.method().equals("POST") && a.status() < 400) {
                failures.add(a.status() + " accepted " + p.method() + " " + abbreviate(p.path()) + " [" + p.what() + "]");
            }
            Api.sleep(40); // about 15 requests/s with the round trips: under the 20/s rate limit
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.figure("statuses", statuses);
        out.figure("rateLimitedAndResent", retried);
        out.figure("seconds", seconds);
        long fivexx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        out.figure("5xx", fivexx);
        out.check("zero 5xx", fivexx == 0);
        out.check("every 4xx names the problem and no hostile POST is accepted", failures.isEmpty());
        if (!failures.isEmpty()) {
            out.note("failures (" + failures.size() + "): " + failures.subList(0, Math.min(15, failures.size())));
        }
        out.check("nothing published (experiments and tasks topics unchanged)",
                ctx.platform().endOffsets(Topics.EXPERIMENTS) == experimentsBefore && ctx.platform().endOffsets(Topics.TASKS) == tasksBefore);
    }

    static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
