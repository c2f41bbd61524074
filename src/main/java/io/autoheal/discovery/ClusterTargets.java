package io.autoheal.discovery;

import io.autoheal.api.v1alpha1.DiscoveryPort;
import java.util.List;

/** What /sd/targets knows of one cluster: its identity labels, its ports and its members as last published. */
public record ClusterTargets(String namespace, String cluster, String role, String env, Integer metricsPort, List<DiscoveryPort> ports,
                             List<Member> members) {
}
