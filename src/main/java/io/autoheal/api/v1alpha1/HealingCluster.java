package io.autoheal.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A cluster of immutable EC2 machines kept at its declared size by an Auto Scaling Group, healed by the operator. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("hc")
@Categories("autoheal")
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.roles", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Env", jsonPath = ".spec.environment", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.capacity.desired", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "EIPs", jsonPath = ".status.elasticIps", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HealingCluster extends CustomResource<HealingClusterSpec, HealingClusterStatus> implements Namespaced {

    /** The value of the {@code autoheal.io/cluster} tag that marks AWS resources as belonging to this cluster. */
    public String ownerKey() {
        return getMetadata().getNamespace() + "/" + getMetadata().getName();
    }
}
