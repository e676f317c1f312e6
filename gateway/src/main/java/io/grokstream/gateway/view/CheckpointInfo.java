package io.grokstream.gateway.view;

import io.grokstream.contracts.SnapshotCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A stored snapshot of an experiment: its step, size in bytes, and why the trainer took it (a
 * {@link io.grokstream.contracts.SnapshotReason} word from the snapshot's {@link SnapshotCodec#META_REASON}; null for
 * snapshots from before reasons).
 */
public record CheckpointInfo(long step, long bytes, String reason) {

    /** The view store's value: the size, then the reason's UTF-8 bytes (a store written before reasons has 8 bytes). */
    byte[] stored() {
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + r.length).putLong(bytes).put(r).array();
    }

    static CheckpointInfo of(long step, byte[] stored) {
        String reason = stored.length > Long.BYTES
                ? new String(stored, Long.BYTES, stored.length - Long.BYTES, StandardCharsets.UTF_8) : null;
        return new CheckpointInfo(step, ViewStore.longOf(stored), reason);
    }
}
