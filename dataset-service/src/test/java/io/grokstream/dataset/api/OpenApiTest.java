package io.grokstream.dataset.api;

import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.grokstream.dataset.WithServiceKey.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class OpenApiTest {

    @Test
    void everyEndpointAndParameterIsDocumented() {
        JsonPath api = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = api.getMap("paths");
        for (String path : List.of("/tasks", "/tasks/kinds", "/tasks/custom", "/tasks/{id}", "/tasks/{id}/data.csv",
                "/tasks/{id}/data.json")) {
            assertTrue(paths.containsKey(path), path + " in " + paths.keySet());
        }
        List<Map<String, Object>> uploadParameters = api.getList("paths.'/tasks/custom'.post.parameters");
        assertEquals(List.of("labels", "name", "seed", "trainFraction"),
                uploadParameters.stream().map(p -> (String) p.get("name")).sorted().toList());
        uploadParameters.forEach(p -> assertFalse(String.valueOf(p.get("description")).isBlank(), p.toString()));
        String parametersDescription = api.getString("components.schemas.TaskRequest.properties.parameters.description");
        for (String name : List.of("operation", "mask", "shuffleLabels", "encoding", "sampling", "variableLength")) {
            assertTrue(parametersDescription.contains(name), name);
        }
        Map<String, Object> responses = api.getMap("paths.'/tasks'.post.responses");
        assertTrue(responses.keySet().containsAll(List.of("200", "201", "400")), responses.keySet().toString());
    }
}
