package io.grokstream.dataset.api;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.dataset.TopicProbe;
import io.grokstream.dataset.catalog.DataHash;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.grokstream.dataset.WithServiceKey.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class TaskApiTest {

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    private static ExtractableResponse<Response> post(String body) {
        return given().contentType("application/json").body(body).when().post("/tasks").then().extract();
    }

    @Test
    void kindsListEveryKindWithItsParametersDefaultsAndLimits() {
        given().when().get("/tasks/kinds").then().statusCode(200)
                .body("kinds.kind", equalTo(List.of("modular", "exponent", "miiii", "primality", "gcd", "sorting", "custom")))
                .body("kinds.find { it.kind == 'modular' }.parameters.find { it.name == 'p' }.defaultValue", equalTo(113))
                .body("kinds.find { it.kind == 'modular' }.parameters.find { it.name == 'trainFraction' }.defaultValue", equalTo(0.3f))
                .body("kinds.find { it.kind == 'exponent' }.parameters.find { it.name == 'a' }.max", equalTo(9))
                .body("kinds.find { it.kind == 'miiii' }.parameters.find { it.name == 'p' }.max", equalTo(1000))
                .body("kinds.find { it.kind == 'gcd' }.parameters.find { it.name == 'rows' }.max", equalTo(200_000))
                .body("kinds.find { it.kind == 'custom' }.endpoint", equalTo("POST /tasks/custom"))
                .body("limits.maxRows", equalTo(200_000))
                .body("limits.maxP", equalTo(1000));
    }

    @Test
    void creatingTheSameTaskTwiceGivesOneIdAndOneDefinition() {
        ExtractableResponse<Response> first = post("{\"kind\": \"modular\", \"parameters\": {\"operation\": \"subtract\", \"p\": 17}}");
        assertEquals(201, first.statusCode(), first.asString());
        String id = first.path("taskId");
        assertTrue(id.startsWith("modular-subtract-p17-"), id);
        assertTrue(first.header("Location").endsWith("/tasks/" + id));
        ExtractableResponse<Response> second = post("{\"kind\": \"modular\", \"parameters\": {\"operation\": \"subtract\", "
                + "\"p\": 17, \"trainFraction\": 0.3, \"seed\": 598}}");
        assertEquals(200, second.statusCode());
        assertEquals(id, second.path("taskId"));
        assertEquals((String) first.path("sha256"), second.path("sha256"));
        long published = TopicProbe.readAll(operator, Topics.TASKS).stream().filter(r -> id.equals(r.key())).count();
        assertEquals(1, published);
    }

    @Test
    void concurrentEqualRequestsPublishOneDefinition() throws Exception {
        String body = "{\"kind\": \"modular\", \"parameters\": {\"operation\": \"quadratic\", \"p\": 31}}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<ExtractableResponse<Response>>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> post(body)));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var call : calls) {
                statuses.add(call.get().statusCode());
                ids.add(call.get().path("taskId"));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(1, ids.size());
            String id = ids.iterator().next();
            assertEquals(1, TopicProbe.readAll(operator, Topics.TASKS).stream().filter(r -> id.equals(r.key())).count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theListHasSummariesWithoutData() {
        post("{\"kind\": \"exponent\", \"parameters\": {\"a\": 2, \"b\": 3, \"p\": 11}}");
        given().when().get("/tasks").then().statusCode(200)
                .body("taskId", hasItems(org.hamcrest.Matchers.startsWith("exponent-a2-b3-p11-")))
                .body("[0]", not(hasKey("data")))
                .body("[0]", hasKey("sha256"))
                .body("[0]", hasKey("targets"));
    }

    @Test
    void aTaskShowsItsStatisticsAndTheFirstTwentyRows() {
        String id = post("{\"kind\": \"exponent\", \"parameters\": {\"a\": 7, \"b\": 7, \"p\": 29}}").path("taskId");
        given().when().get("/tasks/" + id).then().statusCode(200)
                .body("taskId", equalTo(id))
                .body("rows", equalTo(841))
                .body("trainRows", equalTo(252))
                .body("residues.p", equalTo(29))
                .body("vocabulary.size()", equalTo(30))
                .body("preview.size()", equalTo(20))
                .body("preview[19].inputs", equalTo(List.of(0, 19, 29)))
                .body("preview[19].tokens", equalTo(List.of("0", "19", "=")))
                .body("statistics[0].histogram.size()", equalTo(29))
                // 7 divides 28: x^7 takes 5 values mod 29, so sums are uneven and the warning names the target
                .body("warnings[0]", org.hamcrest.Matchers.containsString("target result"));
    }

    @Test
    void downloadsCarryEveryRowAndReproduceTheHash() {
        String id = post("{\"kind\": \"sorting\", \"parameters\": {\"length\": 3, \"symbols\": 4, \"rows\": 40}}").path("taskId");
        String csv = given().when().get("/tasks/" + id + "/data.csv").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\n");
        assertEquals(41, lines.length);
        assertEquals("row,split,t0,t1,t2,t3,t4,t5,t6,t7,s0,s1,s2", lines[0]);
        ExtractableResponse<Response> json = given().when().get("/tasks/" + id + "/data.json").then().statusCode(200).extract();
        int[][] inputs = json.jsonPath().getObject("inputs", int[][].class);
        int[][] labels = json.jsonPath().getObject("labels", int[][].class);
        int[] train = json.jsonPath().getObject("trainRows", int[].class);
        assertEquals((String) json.path("sha256"), DataHash.sha256(new TaskDefined.TaskData(inputs, labels, train)));
        String[] row5 = lines[6].split(",");
        assertEquals(Arrays.stream(inputs[5]).mapToObj(Integer::toString).toList(), List.of(row5).subList(2, 10));
        assertEquals(Arrays.binarySearch(train, 5) >= 0 ? "train" : "validation", row5[1]);
    }

    @Test
    void anUnknownTaskIsA404NamingTheId() {
        given().when().get("/tasks/no-such-task").then().statusCode(404).body("field", equalTo("id"));
        given().when().get("/tasks/no-such-task/data.csv").then().statusCode(404);
    }

    @Test
    void anUploadedCsvBecomesATaskOnce() {
        String csv = "a,b,label\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n";
        ExtractableResponse<Response> first = given().contentType("text/csv").body(csv)
                .queryParam("name", "pairs").queryParam("trainFraction", "0.5").when().post("/tasks/custom").then().extract();
        assertEquals(201, first.statusCode(), first.asString());
        String id = first.path("taskId");
        assertTrue(id.startsWith("custom-pairs-"), id);
        given().contentType("text/csv").body(csv).queryParam("name", "pairs").queryParam("trainFraction", "0.5")
                .when().post("/tasks/custom").then().statusCode(200).body("taskId", equalTo(id));
        given().when().get("/tasks/" + id).then().statusCode(200)
                .body("parameters.classNames.label", equalTo(List.of("x", "y")))
                .body("targets[0].position", equalTo(1))
                .body("vocabulary", equalTo(List.of("1", "2", "3", "4", "5")));
        Map<String, Object> parameters = first.path("parameters");
        assertEquals(64, ((String) parameters.get("csvSha256")).length());
    }

    @Test
    void anOversizedUploadIs413AndPublishesNothing() {
        long before = TopicProbe.endOffset(operator, Topics.TASKS);
        StringBuilder csv = new StringBuilder("a,b\n");
        while (csv.length() <= 4 * 1024 * 1024) {
            csv.append("123456789,1\n");
        }
        given().contentType("text/csv").body(csv.toString()).when().post("/tasks/custom").then().statusCode(413)
                .body("field", equalTo("body")).body("error", endsWith("(grokstream.dataset.max-upload-bytes)"));
        assertEquals(before, TopicProbe.endOffset(operator, Topics.TASKS));
    }
}
