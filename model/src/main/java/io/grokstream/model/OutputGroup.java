package io.grokstream.model;

/**
 * One unembedding of the network: a named output head with its own class count.
 *
 * <p>Modular addition has one group of {@code p} classes; the multi-task prime-residue task has one group per
 * prime {@code q}; sorting shares one group over every sorted position (the same classes at each position).
 */
public record OutputGroup(String name, int classes) {
    public OutputGroup {
        if (name == null || !name.matches("[A-Za-z0-9_]{1,32}")) {
            throw new IllegalArgumentException("output group name must match [A-Za-z0-9_]{1,32}, got " + name);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("output group " + name + " needs at least 2 classes, got " + classes);
        }
    }
}
