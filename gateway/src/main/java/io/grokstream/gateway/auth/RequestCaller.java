package io.grokstream.gateway.auth;

import io.grokstream.gateway.api.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class RequestCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new ApiException(401, "missing API key: send header X-API-Key or query parameter key", "X-API-Key");
        }
        return caller;
    }
}
