package io.grokstream.analysis.api;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.grokstream.analysis.WithServiceKey.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nanda-style progress measures after training: every stored snapshot measured with the key frequencies given. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RetrospectiveResourceTest {
    private static final int P = 23;
    private static final ModelConfig CFG = ModularTasks.smallConfig(P, 16, 2, 8, 24);
    private static final int[] PLANTED = {3, 7, 9};

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    private static SnapshotCodec.Snapshot snapshot(String experiment, long step, TaskDefined task,
                                                   Map<String, Tensor> weights) throws Exception {
        return ModularTasks.snapshot(experiment, step, task, CFG, weights);
    }

    @Test
    void plantedFrequenciesGiveALowRestrictedLossOnlyWhereTheyArePlanted() throws Exception {
        TaskDefined task = ModularTasks.addition("add-" + UUID.randomUUID(), P, 0.4, 2);
        String exp = "exp-" + UUID.randomUUID();
        String other = "exp-" + UUID.randomUUID();
        try (EventPublisher publisher = new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(operator, "retro-test")),
                "/grokstream/test")) {
            publisher.publishAndWait(task);
            // newest first on the topic: the answer is sorted by step all the same
            EventPublisher.await(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                    snapshot(exp, 200, task, ModularTasks.planted(CFG, P, PLANTED, 3))));
            EventPublisher.await(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                    snapshot(exp, 100, task, ModularTasks.random(CFG, 9))));
            EventPublisher.await(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                    snapshot(other, 100, task, ModularTasks.random(CFG, 4))));
        }
        JsonPath right = given().get("/admin/retrospective/" + exp + "?frequencies=3,7,9").then().statusCode(200)
                .body("snapshots", equalTo(2)).extract().jsonPath();
        assertEquals(List.of(100, 200), right.getList("points.step", Integer.class));
        double randomRestricted = right.getDouble("points[0].restrictedLoss");
        double plantedRestricted = right.getDouble("points[1].restrictedLoss");
        double plantedExcluded = right.getDouble("points[1].excludedLoss");
        assertTrue(plantedRestricted < randomRestricted, plantedRestricted + " vs random weights " + randomRestricted);
        assertTrue(plantedRestricted < plantedExcluded, "keeping the planted frequencies keeps the answer: "
                + plantedRestricted + " < " + plantedExcluded);

        JsonPath wrong = given().get("/admin/retrospective/" + exp + "?frequencies=1,2,4").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(wrong.getDouble("points[1].restrictedLoss") > plantedRestricted + 0.5,
                "other frequencies explain little: " + wrong.getDouble("points[1].restrictedLoss") + " vs " + plantedRestricted);
    }

    @Test
    void badFrequenciesAndUnknownExperimentsAreClearErrors() {
        given().get("/admin/retrospective/exp-x").then().statusCode(400).body("field", equalTo("frequencies"));
        given().get("/admin/retrospective/exp-x?frequencies=3,a").then().statusCode(400).body("error", containsString("'a'"));
        given().get("/admin/retrospective/exp-x?frequencies=3,3").then().statusCode(400).body("error", containsString("distinct"));
        given().get("/admin/retrospective/exp-never-published?frequencies=3").then().statusCode(404)
                .body("field", equalTo("experimentId"));
    }
}
