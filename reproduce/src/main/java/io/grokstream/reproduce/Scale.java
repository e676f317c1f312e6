package io.grokstream.reproduce;

/**
 * How large a study runs. {@code REDUCED} fits this 2-core CPU in minutes to tens of minutes and is what the
 * committed reports used; {@code FULL} is the paper's scale (hours on a CPU), chosen with {@code --full}.
 */
public enum Scale {
    REDUCED, FULL
}
