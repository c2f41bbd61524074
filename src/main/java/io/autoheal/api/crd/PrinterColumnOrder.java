package io.autoheal.api.crd;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.TenantPolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Build-time only (quarkus.operator-sdk.crd.post-processor): puts the printer columns of our CRDs in the
 * order the resource classes declare them. The generator sorts them by JSONPath, which made {@code kubectl get hc}
 * start with AGE and end with READY; on-call reads left to right: what it is, how big, how healthy, how old.
 * It is the one post-processor Quarkus calls, so it also applies {@link ConditionsAsMap}.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    static final Map<String, Class<?>> KINDS = Map.of("HealingCluster", HealingCluster.class, "ElasticIpPool", ElasticIpPool.class,
            "TenantPolicy", TenantPolicy.class);

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition && KINDS.containsKey(definition.getSpec().getNames().getKind())) {
            List<String> declared = declaredOrder(KINDS.get(definition.getSpec().getNames().getKind()));
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                if (version.getAdditionalPrinterColumns() != null) {
                    version.getAdditionalPrinterColumns().sort(byDeclaredOrder(declared));
                }
            }
            ConditionsAsMap.apply(definition);
        }
        return crd;
    }

    static List<String> declaredOrder(Class<?> resource) {
        return Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name).toList();
    }

    static Comparator<CustomResourceColumnDefinition> byDeclaredOrder(List<String> declared) {
        // Columns not declared by annotation (none today) keep their place after the declared ones.
        return Comparator.comparingInt(c -> declared.contains(c.getName()) ? declared.indexOf(c.getName()) : declared.size());
    }
}
