package io.autoheal.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A HealingCluster for tests, with the sandbox's subnets filled in ({@link Examples#withSubnets}). Unless told
 * otherwise: roles [voip], environment staging, capacity 1/1/1, an inline machine ami-0123456789abcdef0 / t3.small
 * in the sandbox's first subnet, and no pool, health, bootstrap or deletion policy (the CRD's defaults).
 *
 * <pre>
 * ns.apply(ClusterManifest.named("web").roles("voip", "monitoring").capacity(1, 2, 4).maxUnhealthy("100%")
 *         .bootstrapHttp(bootstrapper.url(), bootstrapper.statusUrl()).credentials("boot-creds", "s3cret-token")
 *         .toYaml());
 * </pre>
 */
public final class ClusterManifest implements Manifest {
    /** The placeholders of examples/ that {@link Examples#withSubnets} replaces with the sandbox's subnets. */
    private static final List<String> SUBNET_PLACEHOLDERS = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");

    private final String name;
    private List<String> roles = List.of("voip");
    private String environment = "staging";
    private int min = 1;
    private int desired = 1;
    private int max = 1;
    private String imageId = "ami-0123456789abcdef0";
    private String instanceType = "t3.small";
    private int subnets = 1;
    private String poolRef;
    private String maxUnhealthy;
    private String unhealthyAfter;
    private String startupTimeout;
    private String bootstrapUrl;
    private String bootstrapStatusUrl;
    private String credentialsSecret;
    private String credentialsToken;
    private final Map<String, String> extraVars = new LinkedHashMap<>();
    private Integer maxAttempts;
    private boolean gateLaunch;
    private Integer warmPoolSize;
    private String deletionPolicy;
    private String adopt;
    private String drainUrl;
    private String drainStatusUrl;
    private String drainTimeout;
    private String drainOnTimeout;
    private Integer discoveryPort;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private boolean paused;
    private final List<String> probes = new ArrayList<>();
    private List<String> targetGroupArns = List.of();
    private List<String> alerts = List.of();
    private String rollout;

    private ClusterManifest(String name) {
        this.name = name;
    }

    public static ClusterManifest named(String name) {
        return new ClusterManifest(name);
    }

    public ClusterManifest label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public ClusterManifest roles(String... roles) {
        this.roles = List.of(roles);
        return this;
    }

    public ClusterManifest environment(String environment) {
        this.environment = environment;
        return this;
    }

    public ClusterManifest capacity(int min, int desired, int max) {
        this.min = min;
        this.desired = desired;
        this.max = max;
        return this;
    }

    /** The inline machine's instance type (the image stays ami-0123456789abcdef0). */
    public ClusterManifest instanceType(String instanceType) {
        this.instanceType = instanceType;
        return this;
    }

    /** Spread over the sandbox's first {@code count} subnets (1 or 2). */
    public ClusterManifest subnets(int count) {
        if (count < 1 || count > SUBNET_PLACEHOLDERS.size()) {
            throw new IllegalArgumentException("the sandbox has " + SUBNET_PLACEHOLDERS.size() + " subnets, not " + count);
        }
        this.subnets = count;
        return this;
    }

    /** Every machine gets an Elastic IP of this pool. */
    public ClusterManifest poolRef(String pool) {
        this.poolRef = pool;
        return this;
    }

    /** health.maxUnhealthy, e.g. "40%". */
    public ClusterManifest maxUnhealthy(String maxUnhealthy) {
        this.maxUnhealthy = maxUnhealthy;
        return this;
    }

    /** health.unhealthyAfter, e.g. "10s": how long failing EC2 status checks are tolerated. */
    public ClusterManifest unhealthyAfter(String unhealthyAfter) {
        this.unhealthyAfter = unhealthyAfter;
        return this;
    }

    /** bootstrap.http: the trigger URL and the status URL (with {jobId}). */
    public ClusterManifest startupTimeout(String startupTimeout) {
        this.startupTimeout = startupTimeout;
        return this;
    }

    public ClusterManifest bootstrapHttp(String url, String statusUrl) {
        this.bootstrapUrl = url;
        this.bootstrapStatusUrl = statusUrl;
        return this;
    }

    /** bootstrap.http.credentialsSecretRef, and the Secret itself (key token), applied before the cluster. */
    public ClusterManifest credentials(String secretName, String token) {
        this.credentialsSecret = secretName;
        this.credentialsToken = token;
        return this;
    }

    /** One entry of bootstrap.http.extraVars (a string). */
    public ClusterManifest extraVar(String key, String value) {
        extraVars.put(key, value);
        return this;
    }

    public ClusterManifest maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** spec.warmPool.size: spares kept beyond desired, bootstrapped while warmed (state: the default, Stopped). */
    public ClusterManifest warmPool(int size) {
        this.warmPoolSize = size;
        return this;
    }

    /** bootstrap.gateLaunch: true — machines wait in Pending:Wait until bootstrapped. */
    public ClusterManifest gateLaunch() {
        this.gateLaunch = true;
        return this;
    }

    /** spec.drain.http (role drain) with a timeout and onTimeout (null: the defaults). */
    public ClusterManifest drainHttp(String url, String statusUrl, String timeout, String onTimeout) {
        this.drainUrl = url;
        this.drainStatusUrl = statusUrl;
        this.drainTimeout = timeout;
        this.drainOnTimeout = onTimeout;
        return this;
    }

    /** spec.discovery with one port (EndpointSlices of a Service named like the cluster, private addresses). */
    public ClusterManifest discovery(int port) {
        this.discoveryPort = port;
        return this;
    }

    /**
     * One entry of health.probes as a YAML flow map, e.g.
     * {@code "{name: web, http: {port: 8080, path: /healthz}, address: ElasticIp, periodSeconds: 1}"}.
     */
    public ClusterManifest probe(String flowMap) {
        probes.add(flowMap);
        return this;
    }

    /** spec.paused: observe and report only. */
    public ClusterManifest paused(boolean paused) {
        this.paused = paused;
        return this;
    }

    /** health.targetGroupArns: ELBv2 target groups the group is attached to, whose unhealthy targets are replaced. */
    public ClusterManifest targetGroups(String... arns) {
        this.targetGroupArns = List.of(arns);
        return this;
    }

    /** health.alerts: Prometheus alert names that, firing for a machine at POST /alertmanager, make it Unhealthy (AlertFiring). */
    public ClusterManifest alerts(String... names) {
        this.alerts = List.of(names);
        return this;
    }

    /** spec.rollout as a YAML flow map, e.g. "{bakeTime: 5s, onFailure: Rollback}". */
    public ClusterManifest rollout(String flowMap) {
        this.rollout = flowMap;
        return this;
    }

    /** Delete or Orphan. */
    /** spec.autoScalingGroupName: adopt this existing group. */
    public ClusterManifest adopt(String asgName) {
        this.adopt = asgName;
        return this;
    }

    public ClusterManifest deletionPolicy(String deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
        return this;
    }

    /** The manifest with the sandbox's subnets: what a sandbox test applies. */
    @Override
    public String toYaml() {
        return Examples.withSubnets(yaml());
    }

    /**
     * The HealingCluster as the reconcilers get it from the informer (namespace, uid and generation set), for unit and
     * fast-tier tests: no sandbox needed (the subnets stay the examples' placeholders). The credentials Secret is not part of it.
     */
    public io.autoheal.api.v1alpha1.HealingCluster toResource(String namespace) {
        String yaml = yaml();
        String cluster = yaml.substring(yaml.indexOf("apiVersion: autoheal.io/v1alpha1"));
        io.autoheal.api.v1alpha1.HealingCluster hc;
        try {
            hc = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue(cluster, io.autoheal.api.v1alpha1.HealingCluster.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("ClusterManifest wrote YAML it cannot read back: " + cluster, e);
        }
        hc.getMetadata().setNamespace(namespace);
        hc.getMetadata().setUid(java.util.UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes()).toString());
        hc.getMetadata().setGeneration(1L);
        return hc;
    }

    private String yaml() {
        StringBuilder y = new StringBuilder();
        if (credentialsSecret != null) {
            y.append("apiVersion: v1\nkind: Secret\nmetadata: {name: ").append(credentialsSecret).append("}\n")
                    .append("stringData: {token: ").append(Manifest.quote(credentialsToken)).append("}\n---\n");
        }
        y.append("apiVersion: autoheal.io/v1alpha1\nkind: HealingCluster\nmetadata: {name: ").append(name).append(Manifest.labels(labels))
                .append("}\nspec:\n");
        y.append("  roles: ").append(list(roles)).append('\n');
        y.append("  environment: ").append(Manifest.quote(environment)).append('\n');
        y.append("  capacity: {min: ").append(min).append(", desired: ").append(desired).append(", max: ").append(max).append("}\n");
        y.append("  template: {machine: {imageId: ").append(imageId).append(", instanceType: ").append(instanceType).append("}}\n");
        y.append("  subnetIds: [").append(String.join(", ", SUBNET_PLACEHOLDERS.subList(0, subnets))).append("]\n");
        if (warmPoolSize != null) {
            y.append("  warmPool: {size: ").append(warmPoolSize).append("}\n");
        }
        if (poolRef != null) {
            y.append("  elasticIps: {poolRef: ").append(poolRef).append("}\n");
        }
        if (maxUnhealthy != null || unhealthyAfter != null || startupTimeout != null || !probes.isEmpty() || !targetGroupArns.isEmpty() || !alerts.isEmpty()) {
            List<String> health = new ArrayList<>();
            if (maxUnhealthy != null) {
                health.add("maxUnhealthy: " + Manifest.quote(maxUnhealthy));
            }
            if (unhealthyAfter != null) {
                health.add("unhealthyAfter: " + Manifest.quote(unhealthyAfter));
            }
            if (startupTimeout != null) {
                health.add("startupTimeout: " + Manifest.quote(startupTimeout));
            }
            if (!probes.isEmpty()) {
                health.add("probes: [" + String.join(", ", probes) + "]");
            }
            if (!targetGroupArns.isEmpty()) {
                health.add("targetGroupArns: " + list(targetGroupArns));
            }
            if (!alerts.isEmpty()) {
                health.add("alerts: " + list(alerts));
            }
            y.append("  health: {").append(String.join(", ", health)).append("}\n");
        }
        if (bootstrapUrl != null) {
            y.append("  bootstrap:\n    http: {url: ").append(Manifest.quote(bootstrapUrl))
                    .append(", statusUrl: ").append(Manifest.quote(bootstrapStatusUrl));
            if (credentialsSecret != null) {
                y.append(", credentialsSecretRef: {name: ").append(credentialsSecret).append('}');
                if (bootstrapUrl.startsWith("http://")) {
                    y.append(", allowInsecure: true"); // the tests' bootstrappers listen on plain http on loopback
                }
            }
            if (!extraVars.isEmpty()) {
                y.append(", extraVars: {").append(extraVars.entrySet().stream()
                        .map(e -> Manifest.quote(e.getKey()) + ": " + Manifest.quote(e.getValue())).collect(Collectors.joining(", "))).append('}');
            }
            y.append("}\n");
            if (maxAttempts != null) {
                y.append("    maxAttempts: ").append(maxAttempts).append('\n');
            }
            if (gateLaunch) {
                y.append("    gateLaunch: true\n");
            }
        } else if (credentialsSecret != null || !extraVars.isEmpty() || maxAttempts != null || gateLaunch) {
            throw new IllegalStateException("credentials, extraVar, maxAttempts and gateLaunch need bootstrapHttp(url, statusUrl)");
        }
        if (drainUrl != null) {
            y.append("  drain:\n    http: {url: ").append(Manifest.quote(drainUrl)).append(", statusUrl: ")
                    .append(Manifest.quote(drainStatusUrl)).append("}\n");
            if (drainTimeout != null) {
                y.append("    timeout: ").append(Manifest.quote(drainTimeout)).append('\n');
            }
            if (drainOnTimeout != null) {
                y.append("    onTimeout: ").append(drainOnTimeout).append('\n');
            }
        }
        if (discoveryPort != null) {
            y.append("  discovery: {ports: [{name: http, port: ").append(discoveryPort).append("}]}\n");
        }
        if (deletionPolicy != null) {
            y.append("  deletionPolicy: ").append(deletionPolicy).append('\n');
        }
        if (rollout != null) {
            y.append("  rollout: ").append(rollout).append('\n');
        }
        if (paused) {
            y.append("  paused: true\n");
        }
        if (adopt != null) {
            y.append("  autoScalingGroupName: ").append(Manifest.quote(adopt)).append('\n');
        }
        return y.toString();
    }

    private static String list(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(Manifest.quote(v)));
        return "[" + String.join(", ", quoted) + "]";
    }
}
