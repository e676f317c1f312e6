package io.grokstream.reliability;

import io.grokstream.contracts.ServiceCredential;

/**
 * What one internal service answered at its port: a route of its own without the service key, with a wrong one and
 * with the right one, and its health check without any. The door holds when the key check answers 401 (missing)
 * and 403 (wrong), the right key gets past it, and {@value #HEALTH} stays open to the process supervisors.
 *
 * @param service  dataset, trainer, analysis or router
 * @param route    {@code GET /tasks}, ...
 * @param noKey    the status without the {@value ServiceCredential#HEADER} header (-1: no HTTP answer)
 * @param wrongKey with a wrong key in it
 * @param rightKey with the platform's service key
 * @param health   {@value #HEALTH} without a key
 */
record ServiceDoor(String service, String route, int noKey, int wrongKey, int rightKey, int health) {
    static final String HEALTH = "/q/health";

    boolean held() {
        return noKey == 401 && wrongKey == 403 && rightKey >= 200 && rightKey < 500 && rightKey != 401 && rightKey != 403
                && health == 200;
    }

    /** {@code internal port: dataset GET /tasks: no key 401, a wrong key 403, the service key 200; GET /q/health 200}. */
    String line() {
        return "internal port: " + service + " " + route + ": no " + ServiceCredential.HEADER + " " + status(noKey)
                + ", a wrong key " + status(wrongKey) + ", the service key " + status(rightKey) + "; GET " + HEALTH
                + " without a key " + status(health) + (held() ? "" : " (expected 401, 403, neither, 200)");
    }

    private static String status(int s) {
        return s < 0 ? "no answer" : Integer.toString(s);
    }
}
