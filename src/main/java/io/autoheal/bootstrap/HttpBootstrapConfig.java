package io.autoheal.bootstrap;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how to reach an HTTP bootstrapper (spec.bootstrap.http plus its Secret).
 *
 * @param url               the trigger URL, POSTed as a form (the seed: http://bootstrapper:5000/ansible/role/)
 * @param statusUrlTemplate the status URL with the placeholder {jobId} (the seed: .../ansible/results/{jobId})
 * @param caPem             CA bundle (PEM) to trust for https instead of the JVM's default trust store
 */
public record HttpBootstrapConfig(URI url, String statusUrlTemplate, Credentials credentials, Duration connectTimeout,
                                  Duration requestTimeout, Optional<String> caPem) {
    public static final String JOB_ID_PLACEHOLDER = "{jobId}";

    public HttpBootstrapConfig {
        if (!statusUrlTemplate.contains(JOB_ID_PLACEHOLDER)) {
            throw new IllegalArgumentException("the status URL must contain " + JOB_ID_PLACEHOLDER);
        }
        credentials = credentials == null ? Credentials.none() : credentials;
        caPem = caPem == null ? Optional.empty() : caPem.filter(pem -> !pem.isBlank());
    }
}
