package io.grokstream.train;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.trainer.engine.TrainingListener;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code ./grokstream train}'s {@link TrainingListener}: what a worker would publish, written to a directory.
 * Snapshots are the same bytes as on {@code grokstream.snapshots.v1} ({@link SnapshotCodec#encode}); the checkpoint
 * file is replaced atomically, so a killed run leaves the previous one intact.
 */
final class DirectoryListener implements TrainingListener, Closeable {

    private final Path dir;
    private final TrainProgress progress;
    private final BufferedWriter metrics;
    private final BufferedWriter events;
    private Long firstStepAt99;
    private TrainingCompleted completed;
    private TrainingFailed failed;

    DirectoryListener(Path dir, TrainProgress progress) throws IOException {
        this.dir = dir;
        this.progress = progress;
        // appended, not replaced: a resumed run continues the files (readers dedupe metrics by step)
        this.metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.events = Files.newBufferedWriter(dir.resolve("events.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void started(String device, long resumedFromStep) {
        progress.message("training on " + device + (resumedFromStep > 0 ? ", resumed from step " + resumedFromStep : ""));
        progress.start(resumedFromStep);
    }

    @Override
    public void metrics(StepMetrics m) {
        write(metrics, m);
        if (firstStepAt99 == null && m.validationAccuracy() >= 0.99) {
            firstStepAt99 = m.step();
        }
        progress.update(m);
    }

    @Override
    public void snapshot(SnapshotCodec.Snapshot s) {
        writeAtomically(dir.resolve("snapshots").resolve(String.format("step-%07d.safetensors", s.step())),
                SnapshotCodec.encode(s));
    }

    @Override
    public void checkpoint(SnapshotCodec.Snapshot s) {
        writeAtomically(dir.resolve("checkpoint.safetensors"), SnapshotCodec.encode(s));
    }

    @Override
    public void anomaly(TrainingAnomaly a) {
        write(events, a);
        progress.message("anomaly at step " + a.step() + ": " + a.kind() + " (" + a.detail() + "), action " + a.action());
    }

    @Override
    public void completed(TrainingCompleted c) {
        completed = c;
        write(events, c);
    }

    @Override
    public void failed(TrainingFailed f) {
        failed = f;
        write(events, f);
    }

    boolean failed() {
        return failed != null;
    }

    String summary() {
        if (failed != null) {
            return "FAILED at step " + failed.step() + ": " + failed.reason();
        }
        if (completed == null) {
            return "no result";
        }
        return String.format("%s after %d steps: train loss %.3g acc %.4f, validation loss %.3g acc %.4f%n"
                        + "memorised (train acc >= %.2f) at step %s, grokked (validation acc >= %.2f) at step %s, "
                        + "validation acc >= 0.99 at step %s%nfiles in %s",
                completed.reason(), completed.finalStep(), completed.trainLoss(), completed.trainAccuracy(),
                completed.validationLoss(), completed.validationAccuracy(),
                GrokCriterion.STANDARD.memorisedTrainAccuracy(), orNone(completed.memorisedStep()),
                GrokCriterion.STANDARD.grokkedValidationAccuracy(), orNone(completed.grokStep()), orNone(firstStepAt99),
                dir);
    }

    private static String orNone(Long step) {
        return step == null ? "-" : step.toString();
    }

    private static void write(BufferedWriter w, GrokEvent e) {
        try {
            w.write(EventCodec.JSON.writeValueAsString(e));
            w.newLine();
            w.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        metrics.close();
        events.close();
    }
}
