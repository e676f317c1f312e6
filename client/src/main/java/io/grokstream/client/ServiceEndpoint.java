package io.grokstream.client;

/**
 * An internal service (the analysis service's admin endpoints) as a caller outside the platform reaches it: its base
 * URL and the service key it requires ({@link io.grokstream.contracts.ServiceCredential}); a null key sends none, and
 * the service answers 401.
 */
public record ServiceEndpoint(String url, String serviceKey) {

    @Override
    public String toString() {
        return url;
    }
}
