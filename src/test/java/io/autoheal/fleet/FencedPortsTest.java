package io.autoheal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autoheal.config.Fence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The port decorators send a write only through an open fence, and a refusal sends nothing and is counted. */
class FencedPortsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicReference<Fence.Decision> decision = new AtomicReference<>(Fence.Open.ALWAYS);
    final WriteFence fence = new WriteFence(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), registry, now -> decision.get());
    final List<String> sent = new ArrayList<>();

    @Test
    void anOpenFenceLetsEveryWriteThrough() {
        GroupWrites groups = new FencedGroupWrites(recordingGroups(), fence);
        groups.replaceInstance(AwsScope.own("us-east-1"), "i-1");
        groups.setDesired(AwsScope.own("us-east-1"), "asg", 3);
        groups.removeInstance(AwsScope.own("us-east-1"), "i-2");
        assertThat(sent).containsExactly("replaceInstance i-1", "setDesired asg 3", "removeInstance i-2");
        assertThat(refused("groups")).isZero();
    }

    @Test
    void aRefusedFenceSendsNothingThrowsAndCounts() {
        decision.set(new Fence.Refused("the Lease is held by op-b, not by op-a"));
        GroupWrites groups = new FencedGroupWrites(recordingGroups(), fence);
        assertThatThrownBy(() -> groups.replaceInstance(AwsScope.own("us-east-1"), "i-1")).isInstanceOf(FencedWrite.class)
                .hasMessageContaining("GroupWrites.replaceInstance").hasMessageContaining("held by op-b");
        assertThatThrownBy(() -> groups.setDesired(AwsScope.own("us-east-1"), "asg", 3)).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> groups.removeInstance(AwsScope.own("us-east-1"), "i-2")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> groups.apply(AwsScope.own("us-east-1"), null)).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> groups.delete(AwsScope.own("us-east-1"), "asg", false)).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> groups.untag(AwsScope.own("us-east-1"), "asg", List.of("k"))).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> groups.tagInstance(AwsScope.own("us-east-1"), "i-1", "k", "v")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> groups.disownInstances(AwsScope.own("us-east-1"), List.of("i-1"), "ns/c", "default/ns/c")).isInstanceOf(FencedWrite.class);
        assertThat(sent).isEmpty();
        assertThat(refused("groups")).isEqualTo(8);
    }

    @Test
    void lifecycleAnswersAndAddressWritesAreFencedToo() {
        decision.set(new Fence.Refused("the Lease was last renewed 12.0s ago"));
        LifecycleActions hooks = new FencedLifecycleActions(new LifecycleActions() {
            @Override
            public void completeLaunch(AwsScope scope, String asgName, String instanceId, boolean proceed) {
                sent.add("completeLaunch");
            }

            @Override
            public void heartbeat(AwsScope scope, String asgName, String instanceId) {
                sent.add("heartbeat");
            }

            @Override
            public void completeDrain(AwsScope scope, String asgName, String instanceId) {
                sent.add("completeDrain");
            }

            @Override
            public void drainHeartbeat(AwsScope scope, String asgName, String instanceId) {
                sent.add("drainHeartbeat");
            }
        }, fence);
        AddressWrites addresses = new FencedAddressWrites(new AddressWrites() {
            @Override
            public String allocate(AwsScope scope, String poolKey, String installation, String claim) {
                sent.add("allocate");
                return "eipalloc-1";
            }

            @Override
            public boolean claim(AwsScope scope, String allocationId, String claim) {
                sent.add("claim");
                return true;
            }

            @Override
            public void unclaim(AwsScope scope, String allocationId, String claim) {
                sent.add("unclaim");
            }

            @Override
            public void orphan(AwsScope scope, String allocationId, String claim, String orphanedFrom) {
                sent.add("orphan");
            }

            @Override
            public void associate(AwsScope scope, String allocationId, String instanceId, String clusterKey) {
                sent.add("associate");
            }

            @Override
            public void forgetAssignment(AwsScope scope, String allocationId, String instanceId) {
                sent.add("forgetAssignment");
            }

            @Override
            public void disassociate(AwsScope scope, String associationId) {
                sent.add("disassociate");
            }

            @Override
            public void release(AwsScope scope, String allocationId) {
                sent.add("release");
            }
        }, fence);
        assertThatThrownBy(() -> hooks.completeLaunch(AwsScope.own("r"), "g", "i", true)).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> hooks.heartbeat(AwsScope.own("r"), "g", "i")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> hooks.completeDrain(AwsScope.own("r"), "g", "i")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> hooks.drainHeartbeat(AwsScope.own("r"), "g", "i")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.allocate(AwsScope.own("r"), "p", "default", "default/ns/p")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.claim(AwsScope.own("r"), "a", "default/ns/p")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.unclaim(AwsScope.own("r"), "a", "default/ns/p")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.orphan(AwsScope.own("r"), "a", "default/ns/p", "default/ns/c")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.associate(AwsScope.own("r"), "a", "i", "c")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.forgetAssignment(AwsScope.own("r"), "a", "i")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.disassociate(AwsScope.own("r"), "a")).isInstanceOf(FencedWrite.class);
        assertThatThrownBy(() -> addresses.release(AwsScope.own("r"), "a")).isInstanceOf(FencedWrite.class);
        assertThat(sent).isEmpty();
        assertThat(refused("lifecycle")).isEqualTo(4);
        assertThat(refused("addresses")).isEqualTo(8);

        decision.set(Fence.Open.ALWAYS);
        hooks.completeLaunch(AwsScope.own("r"), "g", "i", true);
        addresses.associate(AwsScope.own("r"), "a", "i", "c");
        assertThat(sent).containsExactly("completeLaunch", "associate");
    }

    @Test
    void withoutLeaderElectionTheFenceIsAlwaysOpen() {
        WriteFence real = new WriteFence(Clock.systemUTC(), registry); // Leadership: no election in this JVM
        new FencedGroupWrites(recordingGroups(), real).replaceInstance(AwsScope.own("us-east-1"), "i-1");
        assertThat(sent).containsExactly("replaceInstance i-1");
    }

    double refused(String port) {
        return registry.get("autoheal.fenced.writes").tag("port", port).counter().count();
    }

    GroupWrites recordingGroups() {
        return new GroupWrites() {
            @Override
            public void apply(AwsScope scope, AsgAction action) {
                sent.add("apply");
            }

            @Override
            public void replaceInstance(AwsScope scope, String instanceId) {
                sent.add("replaceInstance " + instanceId);
            }

            @Override
            public void delete(AwsScope scope, String asgName, boolean force) {
                sent.add("delete " + asgName);
            }

            @Override
            public void untag(AwsScope scope, String asgName, List<String> keys) {
                sent.add("untag");
            }

            @Override
            public void tagInstance(AwsScope scope, String instanceId, String key, String value) {
                sent.add("tagInstance");
            }

            @Override
            public java.util.Map<String, java.util.Map<String, String>> disownInstances(AwsScope scope, List<String> ids, String cluster,
                                                                                   String mark) {
                sent.add("disownInstances");
                return java.util.Map.of();
            }

            @Override
            public void setDesired(AwsScope scope, String asgName, int desired) {
                sent.add("setDesired " + asgName + " " + desired);
            }

            @Override
            public void removeInstance(AwsScope scope, String instanceId) {
                sent.add("removeInstance " + instanceId);
            }
        };
    }
}
