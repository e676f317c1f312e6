package io.grokstream.bench.capacity;

/** Where the experiments train: the trainer pods' kind. */
public enum Device {
    CPU, GPU
}
