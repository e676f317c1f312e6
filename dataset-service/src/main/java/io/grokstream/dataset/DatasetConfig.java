package io.grokstream.dataset;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The dataset service's settings ({@code grokstream.dataset.*}). */
@ConfigMapping(prefix = "grokstream.dataset")
public interface DatasetConfig {

    /** No task may materialise more rows than this. */
    @WithDefault("200000")
    int maxRows();

    /** The largest modulus p of the residue tasks (modular, exponent, miiii). */
    @WithDefault("1000")
    int maxP();

    /** The largest CSV upload accepted by {@code POST /tasks/custom}, in bytes (larger: 413). */
    @WithDefault("4194304")
    int maxUploadBytes();

    /** Whether the default catalog (Nanda, miiii, Patel et al.'s pairs, primality, GCD, sorting) is published at start-up. */
    @WithDefault("true")
    boolean publishDefaults();

    /** How long start-up waits to read the tasks topic to its end before publishing the defaults. */
    @WithDefault("120s")
    Duration catalogLoadTimeout();
}
