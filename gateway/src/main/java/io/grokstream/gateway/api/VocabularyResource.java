package io.grokstream.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.EndReason;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.ForecastVerdict;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.Phase;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.submit.ExperimentRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The platform's words, served from {@code contracts} so the dashboard and the CLI never spell them again: the
 * statuses, end reasons and phases, the grok criterion, the progress measures, and the presets a create body
 * starts from.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "vocabulary")
public class VocabularyResource {

    /**
     * A progress measure as the dashboard reads it: its constant in {@link Measure} (the dashboard's handle), its
     * wire name (a prefix when a family), shape and meaning.
     */
    public record MeasureWord(String id, String name, String shape, boolean family, String meaning) {
        static MeasureWord of(Measure m) {
            return new MeasureWord(m.name(), m.wire(), m.shape().name().toLowerCase(Locale.ROOT), m.family(),
                    m.meaning());
        }
    }

    /** Every word, each list in its enum's order. */
    public record Vocabulary(List<String> statuses, List<String> endedStatuses, List<String> endReasons,
                             List<String> phases, GrokCriterion grokCriterion, List<MeasureWord> measures,
                             List<String> forecastVerdicts, List<String> snapshotModes,
                             List<String> snapshotReasons) {
    }

    private static final Vocabulary VOCABULARY = new Vocabulary(
            Arrays.stream(ExperimentStatus.values()).map(ExperimentStatus::wire).toList(),
            Arrays.stream(ExperimentStatus.values()).filter(ExperimentStatus::ended).map(ExperimentStatus::wire).toList(),
            Arrays.stream(EndReason.values()).map(EndReason::wire).toList(),
            Arrays.stream(Phase.values()).map(Phase::wire).toList(),
            GrokCriterion.STANDARD,
            Arrays.stream(Measure.values()).map(MeasureWord::of).toList(),
            Arrays.stream(ForecastVerdict.values()).map(ForecastVerdict::wire).toList(),
            List.of(SnapshotMode.wires()),
            Arrays.stream(SnapshotReason.values()).map(SnapshotReason::wire).toList());

    /** The preset's name in {@code GET /api/presets}. */
    public static final String NANDA = "nanda";

    private final long defaultMaxSteps;

    public VocabularyResource(GatewayConfig config) {
        this.defaultMaxSteps = config.defaultMaxSteps();
    }

    @GET
    @Path("vocabulary")
    @Operation(summary = "Statuses, end reasons, phases, the grok criterion and the progress measures' names")
    public Vocabulary vocabulary() {
        return VOCABULARY;
    }

    @GET
    @Path("presets")
    @Operation(summary = "Named create bodies with every field written out; nanda is what an empty body trains")
    public Map<String, ObjectNode> presets() {
        ObjectNode empty = JsonNodeFactory.instance.objectNode();
        return Map.of(NANDA, ExperimentRequest.parse(empty, defaultMaxSteps).tree());
    }
}
