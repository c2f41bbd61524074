package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;

/**
 * The one notion of "in service" (a ready replica): the healer's verdict is Healthy (running, InService, bootstrapped
 * when bootstrap is configured) and, when the cluster requires Elastic IPs, the machine holds one. Status' readyReplicas
 * and every discovery publisher (EndpointSlices, members ConfigMap, Prometheus SD) count with it.
 */
public final class InService {
    private InService() {
    }

    public static boolean of(InstanceStatus row, boolean eipRequired) {
        return row.health == InstanceHealth.Healthy && (!eipRequired || row.eipAllocationId != null);
    }
}
