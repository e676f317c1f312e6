package io.grokstream.router;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The router's settings ({@code grokstream.router.*}). */
@ConfigMapping(prefix = "grokstream.router")
public interface RouterConfig {

    /**
     * How long a record of an experiment the owners' fold does not know yet waits for it before it is skipped. The
     * submission is on the experiments topic before any event of the experiment, so the fold is only ever a little
     * behind; an experiment still unknown after this has no readable submission, and its later records are skipped
     * without waiting again.
     */
    @WithDefault("30s")
    Duration ownerWait();

    /** How long the copy loop waits before it copies a batch again after a copy failed. */
    @WithDefault("5s")
    Duration retryBackoff();
}
