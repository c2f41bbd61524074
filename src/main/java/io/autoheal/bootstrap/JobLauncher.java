package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.HealingCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Bootstrap as a Kubernetes Job: one Job per machine and attempt, from the cluster's template, owned by the
 * HealingCluster (garbage-collected with it), with the machine's identity in env. Creating a Job whose name
 * exists adopts it, so a retried pass never starts a second one.
 */
@ApplicationScoped
public class JobLauncher {
    static final String LABEL_CLUSTER = "autoheal.io/cluster";
    static final String LABEL_INSTANCE = "autoheal.io/instance";
    private final KubernetesClient client;

    public JobLauncher(KubernetesClient client) {
        this.client = client;
    }

    /** This cluster's jobs as a {@link BootstrapRunner}. */
    public BootstrapRunner runnerFor(HealingCluster hc) {
        return new BootstrapRunner() {
            @Override
            public TriggerResult trigger(BootstrapRequest request) {
                return JobLauncher.this.trigger(hc, request.instanceId(), request.host(), request.attempt());
            }

            @Override
            public JobStatus status(String jobId, String host) {
                return JobLauncher.this.status(hc.getMetadata().getNamespace(), jobId);
            }
        };
    }

    /** This cluster's drain jobs (spec.drain.job) as a {@link BootstrapRunner}: Jobs named drain-..., role spec.drain.role. */
    public BootstrapRunner drainRunnerFor(HealingCluster hc) {
        return new BootstrapRunner() {
            @Override
            public TriggerResult trigger(BootstrapRequest request) {
                return JobLauncher.this.trigger(hc, hc.getSpec().drain.job.template, "drain-" + hc.getMetadata().getName(),
                        hc.getSpec().drain.role, request.instanceId(), request.host(), request.attempt());
            }

            @Override
            public JobStatus status(String jobId, String host) {
                return JobLauncher.this.status(hc.getMetadata().getNamespace(), jobId);
            }
        };
    }

    TriggerResult trigger(HealingCluster hc, String instanceId, String host, int attempt) {
        return trigger(hc, hc.getSpec().bootstrap.job.template, hc.getMetadata().getName(), String.join(",", hc.getSpec().roles), instanceId,
                host, attempt);
    }

    private TriggerResult trigger(HealingCluster hc, io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec template, String namePrefix,
                                  String role, String instanceId, String host, int attempt) {
        String name = jobName(namePrefix, instanceId, attempt);
        String ns = hc.getMetadata().getNamespace();
        List<EnvVar> env = List.of(new EnvVar("AUTOHEAL_HOST", host, null), new EnvVar("AUTOHEAL_ROLE", role, null),
                new EnvVar("AUTOHEAL_ENV", hc.getSpec().environment, null), new EnvVar("AUTOHEAL_INSTANCE_ID", instanceId, null));
        Job job = new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels(template.getMetadata() == null || template.getMetadata().getLabels() == null ? java.util.Map.of()
                        : template.getMetadata().getLabels())
                .addToLabels(LABEL_CLUSTER, hc.getMetadata().getName()).addToLabels(LABEL_INSTANCE, instanceId)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(hc.getApiVersion()).withKind(hc.getKind())
                        .withName(hc.getMetadata().getName()).withUid(hc.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(false).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        job.getSpec().getTemplate().getSpec().getContainers().forEach(c -> {
            List<EnvVar> merged = new java.util.ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
            merged.removeIf(e -> e.getName().startsWith("AUTOHEAL_"));
            merged.addAll(env);
            c.setEnv(merged);
        });
        try {
            if (client.batch().v1().jobs().inNamespace(ns).withName(name).get() == null) {
                client.batch().v1().jobs().inNamespace(ns).resource(job).create();
            }
            return TriggerResult.started(name);
        } catch (KubernetesClientException e) {
            String why = e.getStatus() == null || e.getStatus().getMessage() == null ? e.getClass().getSimpleName() : e.getStatus().getMessage();
            return TriggerResult.failed(BootstrapFailure.Rejected, "the Job was rejected by the API server: " + SeedAnswers.excerpt(why));
        }
    }

    JobStatus status(String namespace, String name) {
        Job job;
        try {
            job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            return JobStatus.unknown(BootstrapFailure.Unreachable, "cannot read Job " + name + ": HTTP " + e.getCode());
        }
        if (job == null) {
            return JobStatus.failed("Job " + name + " no longer exists");
        }
        List<JobCondition> conditions = job.getStatus() == null || job.getStatus().getConditions() == null ? List.of()
                : job.getStatus().getConditions();
        for (JobCondition c : conditions) {
            if ("True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType()))) {
                return JobStatus.of(BootstrapPhase.Succeeded);
            }
            if ("True".equals(c.getStatus()) && ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))) {
                return JobStatus.failed("Job " + name + " failed: " + c.getReason());
            }
        }
        boolean active = job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0;
        return JobStatus.of(active ? BootstrapPhase.Running : BootstrapPhase.Queued);
    }

    /** DNS-1123 and at most 63 characters: cluster name truncated, instance id and attempt kept. */
    static String jobName(String cluster, String instanceId, int attempt) {
        String suffix = "-" + instanceId.toLowerCase() + "-" + attempt;
        String prefix = cluster.length() + suffix.length() > 63 ? cluster.substring(0, 63 - suffix.length()) : cluster;
        return (prefix.replaceAll("-+$", "") + suffix);
    }
}
