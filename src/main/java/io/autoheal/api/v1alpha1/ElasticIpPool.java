package io.autoheal.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of Elastic IPs that the machines of one or more HealingClusters take their public addresses from. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("eippool")
@Categories("autoheal")
@AdditionalPrinterColumn(name = "Total", jsonPath = ".status.total", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Free", jsonPath = ".status.free", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Assigned", jsonPath = ".status.assigned", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Waiting", jsonPath = ".status.waiting", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Foreign", jsonPath = ".status.foreign", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Exhausted", jsonPath = ".status.conditions[?(@.type==\"Exhausted\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ElasticIpPool extends CustomResource<ElasticIpPoolSpec, ElasticIpPoolStatus> implements Namespaced {

    /** The value of the {@code autoheal.io/pool} tag on addresses the operator allocated for this pool. */
    public String ownerKey() {
        return getMetadata().getNamespace() + "/" + getMetadata().getName();
    }
}
