package io.autoheal.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Kubernetes client for the sandbox's API server as its admin, for tests without an in-process operator. */
public final class SandboxClient {
    private static KubernetesClient client;

    private SandboxClient() {
    }

    public static synchronized KubernetesClient get() {
        if (client == null) {
            try {
                client = new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(Files.readString(Path.of(Sandbox.env().get("KUBECONFIG"))))).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the sandbox's kubeconfig", e);
            }
        }
        return client;
    }
}
