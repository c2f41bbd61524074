package io.autoheal.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Cluster-scoped, written by platform administrators: what the HealingClusters and ElasticIpPools of some namespaces may
 * ask of AWS (allow-lists), and the AWS identity they act with. Enforced at admission and again by the reconciler.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("tp")
@Categories("autoheal")
@AdditionalPrinterColumn(name = "Namespaces", jsonPath = ".spec.namespaces", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.aws.roleArn", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TenantPolicy extends CustomResource<TenantPolicySpec, Void> {
}
