package io.grokstream.gateway.view;

/** A stored snapshot of an experiment: its step and size in bytes. */
public record CheckpointInfo(long step, long bytes) {
}
