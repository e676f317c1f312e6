package io.grokstream.gateway.view;

/**
 * A change the fold made, for live subscribers: the SSE event name ({@code metrics}, {@code measures},
 * {@code status}, {@code phase}, {@code checkpoint}), the experiment, who may see it and the payload.
 */
public record LiveEvent(String name, String experimentId, String team, boolean publicRead, Object data) {
    public static final String STATE = "state";
    public static final String METRICS = "metrics";
    public static final String MEASURES = "measures";
    public static final String STATUS = "status";
    public static final String PHASE = "phase";
    public static final String CHECKPOINT = "checkpoint";
    /** The grokking forecast after a snapshot's measures ({@code gateway/forecast/ForecastWatch}). */
    public static final String FORECAST = "forecast";
}
