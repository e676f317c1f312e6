package io.grokstream.gateway.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every snapshot on disk, one safetensors file per (experiment, step) exactly as received:
 * {@code <directory>/<experiment>/<step>.safetensors}. Bounded by {@code maxBytes}: once the store is full, new
 * snapshots are refused (counted, and absent from the checkpoint list) rather than evicting old ones, because a
 * snapshot the list showed must stay downloadable. A restart counts the files in place; a refold finds them there.
 */
public final class SnapshotStore {
    private final Path directory;
    private final long maxBytes;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public SnapshotStore(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(directory);
            try (var files = Files.walk(directory)) {
                usedBytes.set(files.filter(f -> f.toString().endsWith(".safetensors"))
                        .mapToLong(f -> f.toFile().length()).sum());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + directory, e);
        }
    }

    /** Stores the bytes of one snapshot; false when the budget is spent (the snapshot is then not listed). */
    public boolean put(String experimentId, long step, byte[] bytes) {
        Path file = file(experimentId, step);
        try {
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) {
                return true; // counted when the store opened
            }
            if (usedBytes.get() + bytes.length > maxBytes) {
                refused.incrementAndGet();
                return false;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            usedBytes.addAndGet(bytes.length);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store snapshot " + experimentId + "@" + step, e);
        }
    }

    public byte[] read(String experimentId, long step) {
        try {
            return Files.readAllBytes(file(experimentId, step));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + experimentId + "@" + step, e);
        }
    }

    public long usedBytes() {
        return usedBytes.get();
    }

    public long refused() {
        return refused.get();
    }

    public Path directory() {
        return directory;
    }

    private Path file(String experimentId, long step) {
        if (experimentId == null || !experimentId.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("experiment id unfit for a file name: " + experimentId);
        }
        return directory.resolve(experimentId).resolve(step + ".safetensors");
    }
}
