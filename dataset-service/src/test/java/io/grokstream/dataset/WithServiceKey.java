package io.grokstream.dataset;

import io.grokstream.contracts.ServiceCredential;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** A request as this service's callers send it: with the test profile's service key. */
public final class WithServiceKey {
    private WithServiceKey() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().header(ServiceCredential.HEADER,
                ConfigProvider.getConfig().getValue("grokstream.service.key", String.class));
    }
}
