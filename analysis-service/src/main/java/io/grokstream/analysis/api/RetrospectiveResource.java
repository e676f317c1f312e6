package io.grokstream.analysis.api;

import io.grokstream.analysis.AnalysisConfig;
import io.grokstream.analysis.consume.SnapshotHistory;
import io.grokstream.analysis.consume.TaskCatalog;
import io.grokstream.analysis.math.FourierLoss;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.service.KafkaTopology;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code GET /admin/retrospective/{experimentId}?frequencies=14,35,41}: restricted and excluded loss of every stored
 * snapshot of an experiment with the key frequencies given, the way Nanda et al. (2023, §5.1) compute their
 * progress measures after training (with the final network's key frequencies). The live measures cannot: they only
 * know the frequencies visible in each snapshot. Used by {@code ./grokstream reproduce nanda}; computed on demand,
 * one request at a time, nothing published.
 */
@Path("/admin/retrospective")
@Produces(MediaType.APPLICATION_JSON)
public class RetrospectiveResource {
    /** One snapshot's measures with the given frequencies. */
    public record Point(long step, double restrictedLoss, double excludedLoss) {
    }

    public record Result(String experimentId, List<Integer> frequencies, int snapshots, List<Point> points, double millis) {
    }

    private final SnapshotAnalyzer analyzer;
    private final TaskCatalog tasks;
    private final KafkaTopology topology;
    private final AnalysisConfig config;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public RetrospectiveResource(SnapshotAnalyzer analyzer, TaskCatalog tasks, KafkaTopology topology, AnalysisConfig config) {
        this.analyzer = analyzer;
        this.tasks = tasks;
        this.topology = topology;
        this.config = config;
    }

    @GET
    @Path("{experimentId}")
    public Response measure(@PathParam("experimentId") String experimentId, @QueryParam("frequencies") String frequencies)
            throws InterruptedException {
        if (!experimentId.matches("[A-Za-z0-9._-]{1,200}")) {
            return AdminError.of(400, "experimentId must match [A-Za-z0-9._-]{1,200}", "experimentId");
        }
        List<Integer> keys = new ArrayList<>();
        if (frequencies == null || frequencies.isBlank()) {
            return AdminError.of(400, "frequencies is required: the key frequencies, comma-separated (e.g. 14,35,41)", "frequencies");
        }
        for (String f : frequencies.split(",")) {
            try {
                int k = Integer.parseInt(f.trim());
                if (k < 1 || k > 10_000 || keys.contains(k)) {
                    return AdminError.of(400, "frequencies must be distinct integers >= 1, got " + f.trim(), "frequencies");
                }
                keys.add(k);
            } catch (NumberFormatException e) {
                return AdminError.of(400, "frequencies must be integers, got '" + f.trim() + "'", "frequencies");
            }
        }
        if (!oneAtATime.tryLock()) {
            return AdminError.of(409, "a retrospective computation is already running; retry when it is done", "experimentId");
        }
        try {
            long t0 = System.nanoTime();
            List<Point> points = new ArrayList<>();
            String[] problem = new String[1];
            int snapshots = SnapshotHistory.read(topology.access(), experimentId, s -> {
                if (problem[0] == null) {
                    problem[0] = measureOne(s, keys, points);
                }
            });
            if (snapshots == 0) {
                return AdminError.of(404, "no snapshots of experiment " + experimentId + " on the snapshot topic", "experimentId");
            }
            if (problem[0] != null) {
                return AdminError.of(422, problem[0], "frequencies");
            }
            points.sort(Comparator.comparingLong(Point::step));
            return Response.ok(new Result(experimentId, keys, snapshots, points, (System.nanoTime() - t0) / 1e6)).build();
        } finally {
            oneAtATime.unlock();
        }
    }

    /** Adds one snapshot's point; returns why it cannot be measured, or null. */
    private String measureOne(SnapshotCodec.Snapshot s, List<Integer> keys, List<Point> points) {
        try {
            ModelConfig cfg = EventCodec.JSON.readValue(s.metadata().get(SnapshotCodec.META_CONFIG), ModelConfig.class);
            Optional<TaskDefined> task = tasks.await(s.metadata().get(SnapshotCodec.META_TASK), config.taskWait());
            if (task.isEmpty()) {
                return "task " + s.metadata().get(SnapshotCodec.META_TASK) + " is not in the catalog";
            }
            Optional<FourierLoss> loss = analyzer.fourierLoss(cfg, s.tensors(), task.get(), keys);
            if (loss.isEmpty()) {
                return "restricted loss needs a task whose first target is a residue mod p over an (x, y) grid";
            }
            points.add(new Point(s.step(), loss.get().restricted(), loss.get().excluded()));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "snapshot at step " + s.step() + " could not be measured: " + e.getMessage();
        }
    }
}
