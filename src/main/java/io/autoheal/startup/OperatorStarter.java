package io.autoheal.startup;

import io.autoheal.cloud.aws.AwsClients;
import io.autoheal.config.ConfiguredNamespaces;
import io.autoheal.config.LeaderElectionSettings;
import io.autoheal.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;

/**
 * Starts the operator only after the API server and AWS have answered, so that a wrong KUBECONFIG or endpoint
 * ends the process within seconds with one line naming what was tried — not after minutes of client retries.
 */
public class OperatorStarter {

    void onStart(@Observes StartupEvent event, Operator operator, KubernetesClient client, AwsClients aws, OperatorConfig config,
                 LeaderElectionSettings leaderElection) {
        // Secrets named in the configuration come only from the namespaces the operator is configured for.
        Optional<String> misconfigured = ConfiguredNamespaces.of(config, leaderElection).webhookSecretProblem(config.notifications().webhookSecret())
                .or(() -> io.autoheal.fleet.Installations.invalid(config.installationId())); // it names and tags everything owned

        if (misconfigured.isPresent()) {
            Log.error(misconfigured.get());
            Quarkus.asyncExit(2);
            return;
        }
        if (config.startup().checkConnectivity()) {
            Optional<String> problem = checkApiServer(client, config.startup().connectTimeout())
                    .or(() -> checkAws(aws, config));
            if (problem.isPresent()) {
                Log.error(problem.get());
                Quarkus.asyncExit(2);
                return;
            }
        }
        operator.start();
        Log.infof("autoheal-operator started: API server %s, AWS %s (region %s), installation %s, resync every %s",
                client.getMasterUrl(), config.aws().endpointOverride().map(Object::toString).orElse("default endpoints"),
                config.region(), config.installationId(), config.resyncInterval());
    }

    void onStop(@Observes io.quarkus.runtime.ShutdownEvent event, Operator operator) {
        // We started it, so we stop it: informers closed, in-flight reconciles given time to finish.
        operator.stop();
    }

    private static Optional<String> checkApiServer(KubernetesClient client, Duration timeout) {
        String url = client.getMasterUrl().toString();
        Config quick = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                .withConnectionTimeout((int) timeout.toMillis()).withRequestTimeout((int) timeout.toMillis())
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(quick).build()) {
            probe.getKubernetesVersion();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("cannot reach the Kubernetes API server at " + url + " (" + rootMessage(e)
                    + "): check KUBECONFIG / in-cluster service account");
        }
    }

    private static Optional<String> checkAws(AwsClients aws, OperatorConfig config) {
        String endpoint = config.aws().endpointOverride().map(Object::toString).orElse("the default AWS endpoint of " + config.region());
        try {
            aws.autoScalingProbe(config.region(), config.startup().connectTimeout());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("cannot reach AWS Auto Scaling at " + endpoint + " (" + rootMessage(e)
                    + "): check AUTOHEAL_AWS_ENDPOINT_OVERRIDE, network and credentials (default chain)");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
