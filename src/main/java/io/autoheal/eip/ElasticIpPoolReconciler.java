package io.autoheal.eip;

import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Decides every association of a pool's addresses, for all clusters that use the pool. */
@ControllerConfiguration(name = ElasticIpPoolReconciler.NAME)
public class ElasticIpPoolReconciler implements Reconciler<ElasticIpPool> {
    public static final String NAME = "elasticippool";

    @Override
    public UpdateControl<ElasticIpPool> reconcile(ElasticIpPool pool, Context<ElasticIpPool> context) {
        ElasticIpPoolStatus status = new ElasticIpPoolStatus();
        status.observedGeneration = pool.getMetadata().getGeneration();
        pool.setStatus(status);
        return UpdateControl.patchStatus(pool);
    }
}
