package io.autoheal.fast;

import io.autoheal.api.v1alpha1.AllocateSpec;
import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.DrainSpec;
import io.autoheal.api.v1alpha1.Capacity;
import io.autoheal.api.v1alpha1.ElasticIpPool;
import io.autoheal.api.v1alpha1.ElasticIpPoolSpec;
import io.autoheal.api.v1alpha1.ElasticIpsSpec;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.JobBootstrapSpec;
import io.autoheal.api.v1alpha1.MachineTemplate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpecBuilder;
import java.util.List;
import java.util.UUID;

/** Custom resources for the fast tier, as a user would apply them (the schema's defaults filled in). */
final class FastResources {
    static final String NAMESPACE = "fast";

    private FastResources() {
    }

    static HealingCluster cluster(String name, int desired) {
        HealingCluster hc = new HealingCluster();
        hc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .withGeneration(1L).build());
        HealingClusterSpec spec = new HealingClusterSpec();
        spec.roles = List.of("voip");
        spec.environment = "prod";
        spec.capacity = new Capacity();
        spec.capacity.min = desired;
        spec.capacity.desired = desired;
        spec.capacity.max = desired + 2;
        spec.subnetIds = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3");
        spec.template = new MachineTemplate();
        spec.template.machine = new InlineMachine();
        spec.template.machine.imageId = "ami-0123456789abcdef0";
        spec.template.machine.instanceType = "t3.micro";
        hc.setSpec(spec);
        return hc;
    }

    static HealingCluster withPool(HealingCluster hc, String pool) {
        hc.getSpec().elasticIps = new ElasticIpsSpec();
        hc.getSpec().elasticIps.poolRef = pool;
        return hc;
    }

    /** A bootstrap by Kubernetes Job (the fast tier's runner stands in for it), gating launches with the lifecycle hook. */
    static HealingCluster withGatedBootstrap(HealingCluster hc) {
        BootstrapSpec b = new BootstrapSpec();
        b.gateLaunch = true;
        b.maxAttempts = 1;
        b.job = new JobBootstrapSpec();
        b.job.template = new JobTemplateSpecBuilder().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("bootstrap").withImage("bootstrap:1").endContainer()
                .endSpec().endTemplate().endSpec().build();
        hc.getSpec().bootstrap = b;
        return hc;
    }

    /** spec.drain by Kubernetes Job (the fast tier's runner stands in for it), onTimeout Continue. */
    static HealingCluster withDrain(HealingCluster hc) {
        DrainSpec d = new DrainSpec();
        d.job = new JobBootstrapSpec();
        d.job.template = new JobTemplateSpecBuilder().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("drain").withImage("drain:1").endContainer()
                .endSpec().endTemplate().endSpec().build();
        hc.getSpec().drain = d;
        return hc;
    }

    static ElasticIpPool pool(String name, int allocate) {
        ElasticIpPool pool = new ElasticIpPool();
        pool.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .withGeneration(1L).build());
        pool.setSpec(new ElasticIpPoolSpec());
        pool.getSpec().allocate = new AllocateSpec();
        pool.getSpec().allocate.count = allocate;
        return pool;
    }

    /** A bootstrap runner whose jobs run until {@code done}, then succeed (a long bootstrap, on the test clock). */
    static io.autoheal.bootstrap.BootstrapRunner bootstrapUntil(java.time.Clock clock, java.time.Instant done) {
        return new io.autoheal.bootstrap.BootstrapRunner() {
            private int jobs;

            @Override
            public io.autoheal.bootstrap.TriggerResult trigger(io.autoheal.bootstrap.BootstrapRequest request) {
                return io.autoheal.bootstrap.TriggerResult.started("job-" + ++jobs);
            }

            @Override
            public io.autoheal.bootstrap.JobStatus status(String jobId, String host) {
                return io.autoheal.bootstrap.JobStatus.of(clock.instant().isBefore(done)
                        ? io.autoheal.bootstrap.BootstrapPhase.Running : io.autoheal.bootstrap.BootstrapPhase.Succeeded);
            }
        };
    }
}
