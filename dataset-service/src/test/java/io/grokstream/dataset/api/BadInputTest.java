package io.grokstream.dataset.api;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import io.grokstream.dataset.TopicProbe;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.grokstream.dataset.WithServiceKey.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every bad-input rule: a 400 naming the field, and nothing published. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputTest {

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("p not prime", "{\"kind\": \"modular\", \"parameters\": {\"p\": 100}}", "parameters.p"),
                Arguments.of("p too large", "{\"kind\": \"modular\", \"parameters\": {\"p\": 1009}}", "parameters.p"),
                Arguments.of("p not an integer", "{\"kind\": \"modular\", \"parameters\": {\"p\": \"113\"}}", "parameters.p"),
                Arguments.of("miiii p too large", "{\"kind\": \"miiii\", \"parameters\": {\"p\": 1013}}", "parameters.p"),
                Arguments.of("a below 1", "{\"kind\": \"exponent\", \"parameters\": {\"a\": 0}}", "parameters.a"),
                Arguments.of("b above 9", "{\"kind\": \"exponent\", \"parameters\": {\"b\": 10}}", "parameters.b"),
                Arguments.of("fraction 0", "{\"kind\": \"modular\", \"parameters\": {\"trainFraction\": 0}}", "parameters.trainFraction"),
                Arguments.of("fraction 1", "{\"kind\": \"modular\", \"parameters\": {\"trainFraction\": 1.0}}", "parameters.trainFraction"),
                Arguments.of("fraction negative", "{\"kind\": \"gcd\", \"parameters\": {\"trainFraction\": -0.2}}", "parameters.trainFraction"),
                Arguments.of("grid over max rows", "{\"kind\": \"modular\", \"parameters\": {\"p\": 449}}", "parameters.p"),
                Arguments.of("sampled rows over max", "{\"kind\": \"gcd\", \"parameters\": {\"rows\": 200001}}", "parameters.rows"),
                Arguments.of("sorting lengths over max rows", "{\"kind\": \"sorting\", \"parameters\": {\"length\": 8, \"rows\": 300000}}", "parameters.rows"),
                Arguments.of("primality range over max rows", "{\"kind\": \"primality\", \"parameters\": {\"to\": 1000000}}", "parameters.to"),
                Arguments.of("definition over the topic limit", "{\"kind\": \"miiii\", \"parameters\": {\"p\": 331}}", "parameters"),
                Arguments.of("unknown kind", "{\"kind\": \"fibonacci\", \"parameters\": {}}", "kind"),
                Arguments.of("missing kind", "{\"parameters\": {\"p\": 7}}", "kind"),
                Arguments.of("custom through POST /tasks", "{\"kind\": \"custom\"}", "kind"),
                Arguments.of("unknown parameter", "{\"kind\": \"modular\", \"parameters\": {\"modulus\": 7}}", "parameters.modulus"),
                Arguments.of("unknown top-level field", "{\"kind\": \"modular\", \"params\": {}}", "params"),
                Arguments.of("parameters not an object", "{\"kind\": \"modular\", \"parameters\": [1]}", "parameters"),
                Arguments.of("malformed JSON", "{\"kind\": \"modular\",", "body"),
                Arguments.of("unknown operation", "{\"kind\": \"modular\", \"parameters\": {\"operation\": \"power\"}}", "parameters.operation"),
                Arguments.of("miiii mask not prime", "{\"kind\": \"miiii\", \"parameters\": {\"p\": 11, \"mask\": [4]}}", "parameters.mask"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badTaskRequestsAre400NamingTheFieldAndPublishNothing(String rule, String body, String field) {
        long before = TopicProbe.endOffset(operator, Topics.TASKS);
        given().contentType("application/json").body(body).when().post("/tasks").then()
                .statusCode(400).body("field", equalTo(field)).body("error", not(blankOrNullString()));
        assertEquals(before, TopicProbe.endOffset(operator, Topics.TASKS), rule + ": nothing published");
    }

    static Stream<Arguments> badUploads() {
        return Stream.of(
                Arguments.of("ragged rows", "a,b\n1,2\n3\n", "", "body"),
                Arguments.of("quoted field", "a,b\n\"1\",2\n3,4\n", "", "body"),
                Arguments.of("empty cell", "a,b\n1,\n3,4\n", "", "body"),
                Arguments.of("empty body", "", "", "body"),
                Arguments.of("bad column name", "a-1,b\n1,2\n3,4\n", "", "body"),
                Arguments.of("unknown label column", "a,b\n1,2\n3,4\n", "labels=c", "parameters.labels"),
                Arguments.of("fraction not a number", "a,b\n1,2\n3,4\n", "trainFraction=abc", "parameters.trainFraction"),
                Arguments.of("fraction above 1", "a,b\n1,2\n3,4\n", "trainFraction=1.5", "parameters.trainFraction"),
                Arguments.of("bad name", "a,b\n1,2\n3,4\n", "name=a%20b", "parameters.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUploads")
    void badUploadsAre400NamingTheFieldAndPublishNothing(String rule, String csv, String query, String field) {
        long before = TopicProbe.endOffset(operator, Topics.TASKS);
        given().contentType("text/csv").body(csv).when().post("/tasks/custom" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(400).body("field", equalTo(field)).body("error", not(blankOrNullString()));
        assertEquals(before, TopicProbe.endOffset(operator, Topics.TASKS), rule + ": nothing published");
    }
}
