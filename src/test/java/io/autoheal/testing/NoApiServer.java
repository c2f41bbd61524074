package io.autoheal.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;

/**
 * The fast tier's Kubernetes client: there is no API server, so every call fails and names itself, instead of a
 * {@code null} that fails somewhere below with a NullPointerException. Only the API server's address is answered (an
 * address no bootstrapper uses), for the bootstrap URL guard's "never the API server" rule.
 */
public final class NoApiServer {
    static final String MASTER_URL = "https://api-server.fast-tier.invalid:6443/";

    private NoApiServer() {
    }

    public static KubernetesClient client() {
        return (KubernetesClient) Proxy.newProxyInstance(NoApiServer.class.getClassLoader(), new Class<?>[]{KubernetesClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMasterUrl" -> masterUrl();
                    case "toString" -> "NoApiServer";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException("the fast tier has no API server: KubernetesClient." + method.getName()
                            + " was called (test this path in the sandbox tier)");
                });
    }

    private static URL masterUrl() {
        try {
            return new URL(MASTER_URL);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
