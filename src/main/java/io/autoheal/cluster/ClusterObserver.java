package io.autoheal.cluster;

import io.autoheal.api.v1alpha1.BootstrapSpec;
import io.autoheal.api.v1alpha1.Durations;
import io.autoheal.api.v1alpha1.HealingCluster;
import io.autoheal.api.v1alpha1.HealingClusterSpec;
import io.autoheal.api.v1alpha1.HealingClusterStatus;
import io.autoheal.api.v1alpha1.HealthSpec;
import io.autoheal.api.v1alpha1.InstanceHealth;
import io.autoheal.api.v1alpha1.InstanceStatus;
import io.autoheal.api.v1alpha1.RemediationRecord;
import io.autoheal.bootstrap.BootstrapPhase;
import io.autoheal.bootstrap.ClusterBootstrapper;
import io.autoheal.fleet.ClusterObservation;
import io.autoheal.fleet.ObservedAsg;
import io.autoheal.fleet.ObservedInstance;
import io.autoheal.cluster.healing.AppSignal;
import io.autoheal.cluster.healing.HealthPolicy;
import io.autoheal.cluster.healing.Machine;
import io.autoheal.cluster.plan.ClusterPass;
import io.autoheal.config.OperatorConfig;
import io.autoheal.health.HealthSignalSource;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The observe step's last part: turns what AWS, the bootstrapper and the last status said into the planner's one
 * input, a {@link ClusterPass} with one {@link Machine} view per group member.
 */
@ApplicationScoped
public class ClusterObserver {
    static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(30);
    private final AwsNotices notices;
    private final Duration bootstrapBackoffMax;
    private final List<HealthSignalSource> healthSources;

    public ClusterObserver(AwsNotices notices, OperatorConfig config, @All List<HealthSignalSource> healthSources) {
        this.notices = notices;
        this.bootstrapBackoffMax = config.bootstrap().retryBackoffMax();
        this.healthSources = List.copyOf(healthSources);
    }

    /**
     * @param wantedVersion the launch template version the group launches from; null when it was not resolved
     *                      (paused: nothing rolls)
     */
    public ClusterPass pass(HealingCluster hc, HealingClusterStatus previous, ClusterObservation observed,
                            ClusterBootstrapper.Result bootstrap, ClusterReferences.Resolved refs, String wantedVersion, Instant now) {
        HealingClusterSpec spec = hc.getSpec();
        boolean addressesBlocked = refs.poolProblem().isPresent() && spec.elasticIps != null && spec.elasticIps.required;
        Set<String> suspects = suspects(hc, observed, now);
        List<Machine> machines = machines(observed, previous, bootstrapOutcomes(bootstrap, hc), notices, appSignals(hc, observed, now)).stream()
                .map(m -> blocked(m, spec.bootstrap != null && refs.bootstrapProblem().isPresent(), addressesBlocked))
                .map(m -> suspects.contains(m.instanceId()) ? m.withAppSuspect(true) : m).toList();
        return ClusterPass.builder(policy(spec, bootstrapBackoffMax), now)
                .capacity(spec.capacity.min, spec.capacity.desired, spec.capacity.max)
                .wantedVersion(wantedVersion)
                .paused(spec.paused)
                .gateLaunch(spec.bootstrap != null && spec.bootstrap.gateLaunch)
                .groupDesired(observed.asg().map(ObservedAsg::desired).orElse(null))
                .machines(machines)
                .remediations(Objects.requireNonNullElse(previous.recentRemediations, List.<RemediationRecord>of()))
                .vanished(vanished(observed, previous))
                .rollout(io.autoheal.cluster.plan.RolloutPolicy.of(spec.rollout, resumeAnnotation(hc), hc.getMetadata().getGeneration()))
                .lastRollout(previous.rollout)
                .firingAlerts(spec.rollout == null ? java.util.Set.of() : rolloutAborts(hc, observed, now))
                .build();
    }

    private static String resumeAnnotation(HealingCluster hc) {
        var annotations = hc.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(io.autoheal.cluster.plan.RolloutPolicy.RESUME_ANNOTATION);
    }

    /** spec.rollout.abortOnAlerts firing now for the group's members, from every source that knows alerts. */
    private java.util.Set<String> rolloutAborts(HealingCluster hc, ClusterObservation observed, Instant now) {
        List<String> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(ObservedAsg.AsgMember::instanceId).toList();
        java.util.Set<String> out = new java.util.TreeSet<>();
        healthSources.forEach(source -> out.addAll(source.firingRolloutAborts(hc, members, now)));
        return out;
    }

    /** Every health source's conclusive failures for the group's members, merged per machine. */
    private Map<String, List<AppSignal>> appSignals(HealingCluster hc, ClusterObservation observed, Instant now) {
        List<String> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(ObservedAsg.AsgMember::instanceId).toList();
        Map<String, List<AppSignal>> out = new HashMap<>();
        for (HealthSignalSource source : healthSources) {
            source.failing(hc, members, now).forEach((id, signals) -> out.computeIfAbsent(id, k -> new ArrayList<>()).addAll(signals));
        }
        return out;
    }

    /** Members some health source has inconclusive failure evidence about (see {@link HealthSignalSource#suspect}). */
    private Set<String> suspects(HealingCluster hc, ClusterObservation observed, Instant now) {
        List<String> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(ObservedAsg.AsgMember::instanceId).toList();
        Set<String> out = new TreeSet<>();
        healthSources.forEach(source -> out.addAll(source.suspect(hc, members, now)));
        return out;
    }

    /**
     * A machine whose bootstrap waits on something outside it: every unfinished one while a bootstrap reference is
     * unusable; one not yet triggered and without an address while the pool that gives addresses is missing.
     */
    private static Machine blocked(Machine m, boolean bootstrapBlocked, boolean addressesBlocked) {
        boolean unfinished = m.bootstrap() != Machine.Bootstrap.SUCCEEDED && m.bootstrap() != Machine.Bootstrap.FAILED_FINAL;
        if (bootstrapBlocked && unfinished || addressesBlocked && m.bootstrap() == Machine.Bootstrap.PENDING && m.address() == null) {
            return m.withBootstrap(Machine.Bootstrap.BLOCKED);
        }
        return m;
    }

    /** The spec's healing rules, with the bootstrap's own bound (every attempt's timeout and back-off). */
    static HealthPolicy policy(HealingClusterSpec spec, Duration backoffMax) {
        HealthSpec h = spec.health == null ? new HealthSpec() : spec.health;
        Duration bootstrapBound = Duration.ZERO;
        if (spec.bootstrap != null) {
            Duration attempt = Durations.parseOr(spec.bootstrap.timeout, BootstrapSpec.DEFAULT_TIMEOUT).plus(backoffMax);
            bootstrapBound = attempt.multipliedBy(Math.max(1, spec.bootstrap.maxAttempts));
        }
        return new HealthPolicy(Durations.parseOr(h.startupTimeout, Duration.ofMinutes(10)), Durations.parseOr(h.unhealthyAfter, Duration.ofMinutes(5)),
                HealthPolicy.MaxUnhealthy.parse(h.maxUnhealthy == null ? null : String.valueOf(h.maxUnhealthy.getValue()))
                        .orElse(new HealthPolicy.MaxUnhealthy(40, true)),
                h.maxRemediationsPerHour, MAX_CHECK_INTERVAL, bootstrapBound, !h.exclusiveHealing);
    }

    /**
     * Bootstrap outcomes as healing sees them: a machine is healthy only once bootstrapped; once a job was
     * triggered (queued, running, or failed with attempts left) it is in progress, bounded by the bootstrap's own
     * timeouts rather than the startup clock.
     */
    static Map<String, Machine.Bootstrap> bootstrapOutcomes(ClusterBootstrapper.Result bootstrap, HealingCluster hc) {
        Map<String, Machine.Bootstrap> out = new HashMap<>();
        int max = hc.getSpec().bootstrap == null ? 0 : hc.getSpec().bootstrap.maxAttempts;
        bootstrap.records().forEach((id, r) -> out.put(id, r.phase() == BootstrapPhase.Succeeded ? Machine.Bootstrap.SUCCEEDED
                : r.gaveUp(max) ? Machine.Bootstrap.FAILED_FINAL
                : r.attempts() > 0 || r.inFlight() ? Machine.Bootstrap.IN_PROGRESS
                : Machine.Bootstrap.PENDING));
        return out;
    }

    /** The one view of each group member: its group and EC2 state, what the last status remembered (the benchmark runs it too). */
    public static List<Machine> machines(ClusterObservation observed, HealingClusterStatus previous, Map<String, Machine.Bootstrap> bootstrap,
                                         AwsNotices notices) {
        return machines(observed, previous, bootstrap, notices, Map.of());
    }

    static List<Machine> machines(ClusterObservation observed, HealingClusterStatus previous, Map<String, Machine.Bootstrap> bootstrap,
                                  AwsNotices notices, Map<String, List<AppSignal>> appSignals) {
        Map<String, InstanceStatus> before = rowsById(previous);
        List<Machine> out = new ArrayList<>();
        for (ObservedAsg.AsgMember m : observed.asg().map(ObservedAsg::members).orElse(List.of())) {
            ObservedInstance i = observed.instances().get(m.instanceId());
            InstanceStatus row = before.get(m.instanceId());
            Machine.Builder b = Machine.builder(m.instanceId())
                    .lifecycle(m.lifecycleState())
                    .asgHealthy("Healthy".equalsIgnoreCase(m.healthStatus()))
                    .unhealthySince(row == null || row.unhealthySince == null ? null : Instant.parse(row.unhealthySince))
                    .bootstrap(bootstrap.getOrDefault(m.instanceId(), Machine.Bootstrap.NOT_REQUIRED))
                    .advice(notices.of(m.instanceId()).orElse(null))
                    .version(m.launchTemplateVersion())
                    .zone(m.zone())
                    .appSignals(appSignals.getOrDefault(m.instanceId(), List.of()));
            if (i != null) {
                b.launchTime(i.launchTime()).ec2State(i.state()).statusCheck(i.statusCheck()).skipRemediation(i.skipRemediation())
                        .address(i.eipAllocationId());
            }
            out.add(b.build());
        }
        return out;
    }

    /** Machines the last status listed (not leaving) that are terminated now, or gone from EC2's answer and the group. */
    static Set<String> vanished(ClusterObservation observed, HealingClusterStatus previous) {
        List<String> members = observed.asg().map(ObservedAsg::members).orElse(List.of()).stream()
                .map(ObservedAsg.AsgMember::instanceId).toList();
        Set<String> out = new TreeSet<>();
        for (InstanceStatus row : Objects.requireNonNullElse(previous.instances, List.<InstanceStatus>of())) {
            if (row.health == InstanceHealth.Leaving) {
                continue;
            }
            ObservedInstance now = observed.instances().get(row.instanceId);
            boolean gone = now == null ? !members.contains(row.instanceId)
                    : "terminated".equals(now.state()) || "shutting-down".equals(now.state());
            if (gone) {
                out.add(row.instanceId);
            }
        }
        return out;
    }

    static Map<String, InstanceStatus> rowsById(HealingClusterStatus status) {
        Map<String, InstanceStatus> out = new HashMap<>();
        if (status.instances != null) {
            status.instances.forEach(r -> out.put(r.instanceId, r));
        }
        return out;
    }
}
