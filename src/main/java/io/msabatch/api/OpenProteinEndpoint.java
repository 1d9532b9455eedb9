package io.msabatch.api;

/**
 * Where the client sends its requests: the configured service, or (for {@code openprotein.base-url=embedded}) an
 * emulator that the pipeline started in this JVM. The client does not know which server it is; the pipeline's wiring
 * provides this bean.
 */
public interface OpenProteinEndpoint {

    /** The root URL requests go to, e.g. {@code https://api.openprotein.ai} or {@code http://127.0.0.1:40123}. */
    String baseUrl();

    /** True when this endpoint is an emulator started in this JVM (its demo user needs no credentials). */
    boolean embedded();

    /** The configured service at {@code baseUrl}. */
    static OpenProteinEndpoint of(String baseUrl) {
        return new OpenProteinEndpoint() {
            @Override
            public String baseUrl() {
                return baseUrl;
            }

            @Override
            public boolean embedded() {
                return false;
            }

            @Override
            public String toString() {
                return baseUrl;
            }
        };
    }
}
