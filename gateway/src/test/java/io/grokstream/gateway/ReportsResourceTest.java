package io.grokstream.gateway;

import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** The reports written by ./grokstream reproduce, served under /reports for the dashboard's link. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ReportsResourceTest {
    /** {@code %test.grokstream.gateway.reports-directory}, relative to the module. */
    private static final Path ROOT = Path.of("target/test-reports");

    @BeforeAll
    static void writeReports() throws Exception {
        Files.createDirectories(ROOT.resolve("nanda/figures"));
        Files.writeString(ROOT.resolve("index.html"), "<html>index of reports</html>");
        Files.writeString(ROOT.resolve("nanda/report.html"), "<html>nanda report</html>");
        Files.writeString(ROOT.resolve("nanda/figures/loss.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        Files.writeString(ROOT.resolve("nanda/results.json"), "{\"claims\": []}");
        Files.writeString(ROOT.resolve("nanda/notes.sh"), "echo not served");
        Files.writeString(Path.of("target/secret.html"), "outside the reports directory");
    }

    @Test
    void reportsAreServedWithoutAKeyAndWithTheirContentTypes() {
        given().get("/reports/").then().statusCode(200).contentType(startsWith("text/html")).body(containsString("index of reports"));
        given().get("/reports/nanda/report.html").then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'")).body(containsString("nanda report"));
        given().get("/reports/nanda/figures/loss.svg").then().statusCode(200).contentType(startsWith("image/svg+xml"));
        given().get("/reports/nanda/results.json").then().statusCode(200).body("claims.size()", equalTo(0));
    }

    @Test
    void nothingOutsideTheReportsOrOfAnUnknownKindIsServed() {
        for (String path : new String[]{"/reports/nanda/notes.sh", "/reports/../secret.html", "/reports/..%2Fsecret.html",
                "/reports/nanda/..%2F..%2Fsecret.html", "/reports/.hidden.html", "/reports/missing/report.html",
                "/reports/nanda/figures", "/reports/a/b/c/d.html", "/reports/%2e%2e/secret.html"}) {
            int status = given().urlEncodingEnabled(false).get(path).then().extract().statusCode();
            if (status != 404 && status != 400) {
                throw new AssertionError(path + " answered " + status);
            }
        }
        given().get("/reports/nanda/notes.sh").then().statusCode(404).body("field", equalTo("path"))
                .body("error", containsString("no report file"));
    }
}
