package io.autoheal.bootstrap;

import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.bootstrap.BootstrapDecision.Step;
import io.autoheal.bootstrap.BootstrapRecord.Phase;
import io.autoheal.cloud.ClusterObservation;
import io.autoheal.cloud.ObservedAsg;
import io.autoheal.cloud.ObservedInstance;
import io.autoheal.cloud.Tags;
import io.autoheal.cloud.aws.AsgWriter;
import io.autoheal.cloud.aws.AwsClients;
import io.autoheal.config.OperatorConfig;
import io.autoheal.kube.EventRecorder;
import io.autoheal.kube.Reason;
import io.autoheal.metrics.BootstrapMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs each machine's bootstrap: decides with {@link BootstrapDecision}, triggers or polls through the
 * bootstrapper API or a Kubernetes Job, tags the instance with the job id right after the trigger (so a restart
 * adopts the job instead of starting another), and ends the launch gate (CONTINUE / ABANDON) when asked to.
 */
@ApplicationScoped
public class ClusterBootstrapper {
    private final OperatorConfig config;
    private final KubernetesClient client;
    private final AwsClients aws;
    private final AsgWriter asgWriter;
    private final JobLauncher jobs;
    private final EventRecorder events;
    private final BootstrapMetrics metrics;

    public ClusterBootstrapper(OperatorConfig config, KubernetesClient client, AwsClients aws, AsgWriter asgWriter, JobLauncher jobs,
                               EventRecorder events, BootstrapMetrics metrics) {
        this.config = config;
        this.client = client;
        this.aws = aws;
        this.asgWriter = asgWriter;
        this.jobs = jobs;
        this.events = events;
        this.metrics = metrics;
    }

    /** Each machine's bootstrap record after this pass, and when to look again. */
    public record Result(Map<String, BootstrapRecord> records, Optional<Instant> nextCheck) {
        public static Result none() {
            return new Result(Map.of(), Optional.empty());
        }
    }

    public Result run(HealingCluster hc, String region, ClusterObservation observed, HealingClusterStatus previous, Instant now) {
        BootstrapSpec spec = hc.getSpec().bootstrap;
        if (spec == null) {
            return Result.none();
        }
        BootstrapPolicy policy = new BootstrapPolicy(Durations.parseOr(spec.timeout, Duration.ofMinutes(30)), spec.maxAttempts,
                config.bootstrap().retryBackoff(), config.bootstrap().retryBackoffMax());
        boolean eipRequired = hc.getSpec().elasticIps != null && hc.getSpec().elasticIps.required;
        Map<String, InstanceStatus> rows = new HashMap<>();
        Optional.ofNullable(previous.instances).orElse(List.of()).forEach(r -> rows.put(r.instanceId, r));
        Runner runner = null;
        Map<String, BootstrapRecord> out = new HashMap<>();
        Instant next = null;
        int running = 0;
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            if (i == null || m.lifecycleState().startsWith("Terminat") || m.lifecycleState().startsWith("Detach")) {
                continue;
            }
            InstanceStatus row = rows.get(m.instanceId());
            String tagged = i.tags().get(Tags.BOOTSTRAP_JOB);
            BootstrapRecord r = BootstrapDecision.adopt(BootstrapRows.toRecord(row == null ? null : row.bootstrap, now), tagged, now);
            boolean gated = "Pending:Wait".equals(m.lifecycleState());
            boolean ready = "running".equals(i.state()) && ("InService".equals(m.lifecycleState()) || gated)
                    && i.privateIp() != null && (!eipRequired || i.eipAllocationId() != null);
            Step step = BootstrapDecision.next(r, ready, tagged, policy, now);
            if (!hc.getSpec().paused) {
                if ((step == Step.TRIGGER || step == Step.POLL) && runner == null) {
                    runner = runner(hc);
                }
                r = act(hc, region, observed.asg().get().name(), m, i, r, step, runner, policy, gated, now);
            }
            out.put(m.instanceId(), r);
            if (r.phase() == Phase.Queued || r.phase() == Phase.Running) {
                running++;
            }
            Instant due = BootstrapDecision.nextCheck(r, policy, now, config.bootstrap().pollInterval());
            next = due == null ? next : next == null || due.isBefore(next) ? due : next;
        }
        metrics.inProgress(hc, running);
        return new Result(out, Optional.ofNullable(next));
    }

    private BootstrapRecord act(HealingCluster hc, String region, String asgName, ObservedAsg.AsgMember m, ObservedInstance i, BootstrapRecord r, Step step,
                                Runner runner, BootstrapPolicy policy, boolean gated, Instant now) {
        String id = m.instanceId();
        switch (step) {
            case TRIGGER -> {
                TriggerResult t = runner.trigger(hc, id, i.privateIp(), r.attempts() + 1);
                if (!t.ok()) {
                    metrics.job(hc, "trigger_failed");
                    events.warning(hc, Reason.BootstrapRetry, "TriggerBootstrap", id + ": " + t.failure() + ": " + t.message());
                    return BootstrapDecision.onTriggerFailed(r, t.failure(), t.message(), policy, now);
                }
                // Tag first thing: a crash before the status write must not lead to a second job.
                aws.ec2(region).createTags(b -> b.resources(id).tags(tag -> tag.key(Tags.BOOTSTRAP_JOB).value(t.jobId())));
                metrics.job(hc, "triggered");
                events.normal(hc, Reason.BootstrapTriggered, "TriggerBootstrap", id + " (" + i.privateIp() + "): job " + t.jobId()
                        + ", attempt " + (r.attempts() + 1) + " of " + policy.maxAttempts());
                return BootstrapDecision.onTriggered(r, t.jobId(), now);
            }
            case POLL -> {
                BootstrapRecord after = BootstrapDecision.onStatus(r, runner.status(hc, r.jobId()), policy, now);
                report(hc, id, r, after, policy, now);
                return after;
            }
            case DONE -> {
                if (gated) {
                    asgWriter.completeLaunch(region, asgName, id, true);
                    events.normal(hc, Reason.LaunchContinued, "CompleteLifecycleAction", id + " bootstrapped: launch continued (CONTINUE)");
                }
                return r;
            }
            case GAVE_UP -> {
                if (gated) {
                    asgWriter.completeLaunch(region, asgName, id, false);
                    events.warning(hc, Reason.LaunchAbandoned, "CompleteLifecycleAction", id + " failed to bootstrap: launch abandoned (ABANDON)");
                }
                return r;
            }
            default -> {
                return r;
            }
        }
    }

    private void report(HealingCluster hc, String id, BootstrapRecord before, BootstrapRecord after, BootstrapPolicy policy, Instant now) {
        if (after.phase() == before.phase()) {
            return;
        }
        Duration took = before.triggeredAt() == null ? Duration.ZERO : Duration.between(before.triggeredAt(), now);
        if (after.phase() == Phase.Succeeded) {
            metrics.job(hc, "succeeded");
            metrics.finished(hc, took);
            events.normal(hc, Reason.BootstrapSucceeded, "Bootstrap", id + ": job " + before.jobId() + " succeeded after attempt "
                    + after.attempts());
        } else if (after.phase() == Phase.Failed) {
            metrics.job(hc, after.lastFailure() == BootstrapRecord.Failure.JobTimedOut ? "timed_out" : "failed");
            metrics.finished(hc, took);
            boolean last = after.attempts() >= policy.maxAttempts();
            if (last) {
                metrics.job(hc, "gave_up");
            }
            events.warning(hc, Reason.BootstrapFailed, "Bootstrap", id + ": job " + before.jobId() + " " + after.lastFailure() + " ("
                    + after.message() + "), attempt " + after.attempts() + " of " + policy.maxAttempts()
                    + (last ? ": giving up, the machine will be replaced" : ": retrying at " + after.nextAttemptAt()));
        }
    }

    /** The two ways to run a job, behind one face. */
    interface Runner {
        TriggerResult trigger(HealingCluster hc, String instanceId, String host, int attempt);

        JobStatus status(HealingCluster hc, String jobId);
    }

    private Runner runner(HealingCluster hc) {
        BootstrapSpec spec = hc.getSpec().bootstrap;
        if (spec.job != null) {
            return new Runner() {
                public TriggerResult trigger(HealingCluster c, String instanceId, String host, int attempt) {
                    return jobs.trigger(c, instanceId, host, attempt);
                }

                public JobStatus status(HealingCluster c, String jobId) {
                    return jobs.status(c.getMetadata().getNamespace(), jobId);
                }
            };
        }
        Map<String, String> secret = secretData(hc);
        BootstrapperClient http = new BootstrapperClient(URI.create(spec.http.url), spec.http.statusUrl, BootstrapperClient.authorization(secret),
                Optional.ofNullable(secret.get("ca.crt")), Duration.ofSeconds(3), config.bootstrap().requestTimeout());
        return new Runner() {
            public TriggerResult trigger(HealingCluster c, String instanceId, String host, int attempt) {
                return http.trigger(host, c.getSpec().roles, c.getSpec().environment, spec.http.extraVars);
            }

            public JobStatus status(HealingCluster c, String jobId) {
                return http.status(jobId);
            }
        };
    }

    private Map<String, String> secretData(HealingCluster hc) {
        var ref = hc.getSpec().bootstrap.http.credentialsSecretRef;
        if (ref == null) {
            return Map.of();
        }
        Secret secret = client.secrets().inNamespace(hc.getMetadata().getNamespace()).withName(ref.name).get();
        Map<String, String> out = new HashMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret != null && secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }
}
