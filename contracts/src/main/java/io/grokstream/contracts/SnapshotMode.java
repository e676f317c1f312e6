package io.grokstream.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the trainer spaces snapshots: {@link #FIXED} on the cadence's {@code snapshotEvery}/{@code snapshotEveryEarly},
 * or {@link #ADAPTIVE}, dense around detected transitions and sparse elsewhere within a budget
 * ({@link ExperimentSubmitted.SnapshotPolicy}).
 */
public enum SnapshotMode {
    FIXED("fixed"),
    ADAPTIVE("adaptive");

    private final String wire;

    SnapshotMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The mode named {@code name} (case-insensitive); null for null. */
    @JsonCreator
    public static SnapshotMode of(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(m -> m.wire.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("snapshots.mode must be one of "
                        + Arrays.toString(wires()) + ", got " + name));
    }

    public static String[] wires() {
        return Arrays.stream(values()).map(SnapshotMode::wire).toArray(String[]::new);
    }
}
