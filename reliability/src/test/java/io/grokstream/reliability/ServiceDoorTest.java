package io.grokstream.reliability;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceDoorTest {

    @Test
    void aServiceThatAsksForTheKeyRefusesAWrongOneAndKeepsItsHealthOpenHolds() {
        ServiceDoor d = new ServiceDoor("dataset (:18081)", "GET /tasks", 401, 403, 200, 200);
        assertTrue(d.held());
        assertEquals("internal port: dataset (:18081) GET /tasks: no X-Service-Key 401, a wrong key 403, the service "
                + "key 200; GET /q/health without a key 200", d.line());
    }

    @Test
    void aRouteThatIsMissingBehindTheKeyStillHoldsTheDoor() {
        // the trainer serves only its health checks: with the key, any other path is a 404
        assertTrue(new ServiceDoor("trainer (:18082)", "GET /", 401, 403, 404, 200).held());
    }

    @Test
    void anOpenRouteOrAWrongKeyLetThroughDoesNotHold() {
        assertFalse(new ServiceDoor("analysis", "GET /admin/gaps", 200, 403, 200, 200).held());
        assertFalse(new ServiceDoor("analysis", "GET /admin/gaps", 401, 200, 200, 200).held());
        assertFalse(new ServiceDoor("analysis", "GET /admin/gaps", 401, 401, 200, 200).held(), "a wrong key is a 403");
    }

    @Test
    void theRightKeyRefusedOrAClosedHealthCheckDoesNotHold() {
        assertFalse(new ServiceDoor("router", "GET /", 401, 403, 403, 200).held());
        assertFalse(new ServiceDoor("router", "GET /", 401, 403, 404, 401).held());
    }

    @Test
    void aServiceThatDoesNotAnswerDoesNotHoldAndItsLineSaysSo() {
        ServiceDoor d = new ServiceDoor("router (:18087)", "GET /", -1, -1, -1, -1);
        assertFalse(d.held());
        assertTrue(d.line().contains("no X-Service-Key no answer"), d.line());
        assertTrue(d.line().endsWith("(expected 401, 403, neither, 200)"), d.line());
    }
}
