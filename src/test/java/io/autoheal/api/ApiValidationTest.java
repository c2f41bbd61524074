package io.autoheal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Kubectl;
import io.autoheal.testing.Sandbox;
import io.autoheal.testing.SandboxTest;
import io.autoheal.testing.TestNamespace;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs' schema and CEL rules, checked by the sandbox's real kube-apiserver through the real kubectl:
 * bad input is rejected at apply time with a message that names the field. No operator is needed here.
 */
@Tag(SandboxTest.TAG)
class ApiValidationTest {
    @RegisterExtension
    static TestNamespace ns = new TestNamespace("api");

    static final String VALID_CLUSTER = """
            apiVersion: autoheal.io/v1alpha1
            kind: HealingCluster
            metadata:
              name: NAME
            spec:
              roles: [voip]
              environment: staging
              capacity: {min: 1, desired: 2, max: 3}
              template:
                machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}
              subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
            """;

    static final String VALID_POOL = """
            apiVersion: autoheal.io/v1alpha1
            kind: ElasticIpPool
            metadata:
              name: NAME
            spec:
              allocate: {count: 2}
            """;

    @org.junit.jupiter.api.AfterAll
    static void removeResources() {
        // Nothing here needs the operator: drop the resources without waiting for finalizers it may have added.
        for (String kind : new String[]{"healingclusters", "elasticippools"}) {
            for (String name : ns.kubectl("get", kind, "-o", "name").lines().filter(l -> !l.isBlank()).toList()) {
                Kubectl.exec(null, "patch", name, "-n", ns.name(), "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
                Kubectl.exec(null, "delete", name, "-n", ns.name(), "--wait=false");
            }
        }
    }

    @BeforeAll
    static void crds() {
        Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", Sandbox.root().resolve("crds").toString());
        Kubectl.awaitCrdsEstablished();
    }

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                cluster("min above desired", "capacity: {min: 1, desired: 2, max: 3}", "capacity: {min: 3, desired: 2, max: 3}",
                        "spec.capacity: need min <= desired <= max"),
                cluster("desired above max", "capacity: {min: 1, desired: 2, max: 3}", "capacity: {min: 1, desired: 4, max: 3}",
                        "spec.capacity: need min <= desired <= max"),
                cluster("max beyond 500", "capacity: {min: 1, desired: 2, max: 3}", "capacity: {min: 1, desired: 2, max: 501}",
                        "spec.capacity.max"),
                cluster("negative desired", "capacity: {min: 1, desired: 2, max: 3}", "capacity: {min: 0, desired: -1, max: 3}",
                        "spec.capacity.desired"),
                cluster("roles missing", "  roles: [voip]\n", "", "spec.roles: Required value"),
                cluster("roles empty", "roles: [voip]", "roles: []", "spec.roles"),
                cluster("role with a comma", "roles: [voip]", "roles: [\"voip,db\"]", "spec.roles[0]"),
                cluster("environment missing", "  environment: staging\n", "", "spec.environment: Required value"),
                cluster("malformed region", "environment: staging", "environment: staging\n  region: useast1", "spec.region"),
                cluster("both template kinds", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    launchTemplate: {name: web}",
                        "spec.template: set exactly one of launchTemplate"),
                cluster("no template kind", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}", "{}",
                        "spec.template: set exactly one of launchTemplate"),
                cluster("launch template id and name", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "launchTemplate: {id: lt-0123456789abcdef0, name: web}", "spec.template.launchTemplate: set exactly one of id or name"),
                cluster("malformed launch template id", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "launchTemplate: {id: template-1}", "spec.template.launchTemplate.id"),
                cluster("malformed AMI", "imageId: ami-0123456789abcdef0", "imageId: centos7", "spec.template.machine.imageId"),
                cluster("malformed instance type", "instanceType: t3.small", "instanceType: large", "spec.template.machine.instanceType"),
                cluster("instance type twice", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: [t3.small, t3.small]", "spec.template.instanceTypes: each type once"),
                cluster("first instance type not the machine's", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: [m5.large, t3.small]", "spec.template.instanceTypes: the first choice must be machine.instanceType"),
                cluster("no instance types", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: []", "spec.template.instanceTypes"),
                cluster("malformed instance type alternative", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: [t3.small, large]", "spec.template.instanceTypes[1]"),
                cluster("warm pool with instance types", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: [t3.small, t3.medium]\n  warmPool: {size: 1}",
                        "AWS does not support warm pools for an Auto Scaling group with a mixed instances policy"),
                cluster("warm pool with Spot", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}",
                        "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: [t3.small]\n    spotPercentage: 50\n  warmPool: {size: 1}",
                        "AWS does not support warm pools with Spot instances"),
                cluster("warm pool of negative size", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  warmPool: {size: -1}",
                        "spec.warmPool.size"),
                cluster("warm pool without size", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  warmPool: {state: Running}",
                        "spec.warmPool.size: Required value"),
                cluster("warm pool in an unknown state", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  warmPool: {size: 1, state: Frozen}",
                        "spec.warmPool.state"),
                cluster("warm pool with an ungated bootstrap", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  warmPool: {size: 1}\n  bootstrap: {http: {url: 'http://127.0.0.1:9/', statusUrl: 'http://127.0.0.1:9/'}}",
                        "spec.warmPool with spec.bootstrap needs spec.bootstrap.gateLaunch: true"),
                cluster("spot without instance types", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    spotPercentage: 50",
                        "spotPercentage and capacityRebalance need instanceTypes"),
                cluster("spot over 100 percent", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}", "machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}\n    instanceTypes: [t3.small]\n    spotPercentage: 101",
                        "spec.template.spotPercentage"),
                cluster("malformed subnet", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", "subnetIds: [sub-123]", "spec.subnetIds[0]"),
                cluster("no subnet", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", "subnetIds: []", "spec.subnetIds"),
                cluster("malformed security group", "instanceType: t3.small}", "instanceType: t3.small, securityGroupIds: [default]}",
                        "spec.template.machine.securityGroupIds[0]"),
                cluster("reserved tag key", "instanceType: t3.small}", "instanceType: t3.small, tags: {\"aws:owner\": me}}",
                        "spec.template.machine.tags: keys starting with aws: or autoheal.io/ are reserved"),
                cluster("two bootstrap kinds", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", """
                        subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                          bootstrap:
                            http: {url: "http://b/ansible/role/", statusUrl: "http://b/ansible/results/{jobId}"}
                            job: {template: {spec: {}}}""", "spec.bootstrap: set exactly one of http or job"),
                cluster("status URL without {jobId}", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", """
                        subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                          bootstrap:
                            http: {url: "http://b/ansible/role/", statusUrl: "http://b/ansible/results/"}""",
                        "spec.bootstrap.http.statusUrl must contain the placeholder {jobId}"),
                cluster("bootstrap URL not HTTP", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", """
                        subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                          bootstrap:
                            http: {url: "ftp://b/role", statusUrl: "http://b/ansible/results/{jobId}"}""", "spec.bootstrap.http.url"),
                cluster("zero bootstrap attempts", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]", """
                        subnetIds: [subnet-0aaaaaaaaaaaaaaa1]
                          bootstrap:
                            maxAttempts: 0
                            http: {url: "http://b/ansible/role/", statusUrl: "http://b/ansible/results/{jobId}"}""",
                        "spec.bootstrap.maxAttempts"),
                cluster("prose duration", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  health: {startupTimeout: 10 minutes}", "spec.health.startupTimeout"),
                cluster("percentage over 100", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  health: {maxUnhealthy: 150%}", "spec.health.maxUnhealthy must be a count"),
                cluster("probe path with a space", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  health: {probes: [{name: web, http: {port: 8080, path: \"/a b\"}}]}", "spec.health.probes[0].http.path"),
                cluster("probe path with CR LF", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  health: {probes: [{name: web, http: {port: 8080, path: \"/a\\r\\nX-Evil: 1\"}}]}", "spec.health.probes[0].http.path"),
                cluster("negative max unhealthy", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  health: {maxUnhealthy: -1}", "spec.health.maxUnhealthy must be a count"),
                cluster("unknown deletion policy", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  deletionPolicy: Destroy", "spec.deletionPolicy"),
                cluster("malformed pool name", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  elasticIps: {poolRef: Voip_Pool}", "spec.elasticIps.poolRef"),
                cluster("discovery without ports", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: []}", "spec.discovery.ports"),
                cluster("discovery port names repeated", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: [{name: http, port: 80}, {name: http, port: 81}]}",
                        "port names must be unique"),
                cluster("discovery port out of range", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: [{name: http, port: 70000}]}", "spec.discovery.ports[0].port"),
                cluster("discovery unknown address type", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: [{name: http, port: 80}], addressType: Elastic}",
                        "spec.discovery.addressType"),
                cluster("discovery template without the members ConfigMap", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: [{name: http, port: 80}], membersConfigMap: false, "
                                + "template: {configMapName: t, key: a.tmpl}}", "spec.discovery.template is rendered into the members ConfigMap"),
                cluster("discovery rendering over members.json", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: [{name: http, port: 80}], "
                                + "template: {configMapName: t, key: a.tmpl, outputKey: members.json}}", "may not be written over members.json"),
                cluster("rollout checkpoint outside 1..99", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  rollout: {pauseAtPercent: [50, 100]}", "spec.rollout.pauseAtPercent: each checkpoint is 1..99"),
                cluster("rollout surge above 1", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  rollout: {maxSurge: 2}", "spec.rollout.maxSurge"),
                cluster("rollout unknown onFailure", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  rollout: {onFailure: Retry}", "spec.rollout.onFailure"),
                cluster("rollout malformed bakeTime", "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                        "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  rollout: {bakeTime: two minutes}", "spec.rollout.bakeTime"),
                pool("two address sources", "allocate: {count: 2}", "allocate: {count: 2}\n  selector: {team: voip}",
                        "spec: set exactly one address source"),
                pool("no address source", "allocate: {count: 2}", "reclaimPolicy: Retain", "spec: set exactly one address source"),
                pool("malformed allocation id", "allocate: {count: 2}", "addresses: [eip-123]", "spec.addresses[0]"),
                pool("zero addresses to allocate", "allocate: {count: 2}", "allocate: {count: 0}", "spec.allocate.count"),
                pool("unknown reclaim policy", "allocate: {count: 2}", "allocate: {count: 2}\n  reclaimPolicy: Delete", "spec.reclaimPolicy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void applyRejectsInvalidManifestNamingTheField(String name, String manifest, String expectedMessage) {
        Kubectl.Result result = Kubectl.exec(manifest, "apply", "-n", ns.name(), "-f", "-");
        assertThat(result.ok()).as("kubectl apply of '%s' must fail, but said: %s", name, result.output()).isFalse();
        assertThat(result.output()).as(name).contains(expectedMessage);
    }

    @Test
    void invalidManifestCountMeetsTheContract() {
        assertThat(invalidManifests().count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void regionIsImmutable() {
        String withRegion = VALID_CLUSTER.replace("NAME", "immutable").replace("environment: staging", "environment: staging\n  region: us-east-1");
        ns.apply(withRegion);
        Kubectl.Result changed = Kubectl.exec(withRegion.replace("region: us-east-1", "region: eu-west-1"), "apply", "-n", ns.name(), "-f", "-");
        assertThat(changed.ok()).isFalse();
        assertThat(changed.output()).contains("spec.region is immutable");
        Kubectl.Result removed = Kubectl.exec(VALID_CLUSTER.replace("NAME", "immutable"), "apply", "-n", ns.name(), "-f", "-");
        assertThat(removed.ok()).isFalse();
        assertThat(removed.output()).contains("spec.region is immutable");
    }

    @Test
    void scaleSubresourceDrivesDesiredCapacityWithinBounds() {
        ns.apply(VALID_CLUSTER.replace("NAME", "scalable"));
        ns.kubectl("scale", "hc/scalable", "--replicas=3");
        assertThat(ns.kubectl("get", "hc", "scalable", "-o", "jsonpath={.spec.capacity.desired}")).isEqualTo("3");
        Kubectl.Result tooMany = Kubectl.exec(null, "scale", "hc/scalable", "--replicas=4", "-n", ns.name());
        assertThat(tooMany.ok()).isFalse();
        assertThat(tooMany.output()).contains("spec.capacity: need min <= desired <= max");
    }

    @Test
    void defaultsAreWrittenByTheApiServer() {
        ns.apply(VALID_CLUSTER.replace("NAME", "defaults"));
        String spec = ns.kubectl("get", "hc", "defaults", "-o", "jsonpath={.spec}");
        assertThat(spec).contains("\"maxUnhealthy\":\"40%\"").contains("\"startupTimeout\":\"10m\"").contains("\"paused\":false");
        // no schema default: unset means Delete for a group the operator created, Orphan for an adopted one (DeletionPlanner.effective)
        assertThat(spec).doesNotContain("deletionPolicy");
    }

    @Test
    void discoveryDefaultsAreWrittenByTheApiServer() {
        ns.apply(VALID_CLUSTER.replace("NAME", "discovered").replace("subnetIds: [subnet-0aaaaaaaaaaaaaaa1]",
                "subnetIds: [subnet-0aaaaaaaaaaaaaaa1]\n  discovery: {ports: [{name: http, port: 80}]}"));
        String discovery = ns.kubectl("get", "hc", "discovered", "-o", "jsonpath={.spec.discovery}");
        assertThat(discovery).contains("\"addressType\":\"Private\"").contains("\"membersConfigMap\":true").contains("\"protocol\":\"TCP\"");
        assertThat(Kubectl.run("explain", "hc.spec.discovery.template")).contains("previous rendering stays");
    }

    @Test
    void getShowsPrinterColumnsAndExplainShowsDescriptions() {
        ns.apply(VALID_CLUSTER.replace("NAME", "columns"));
        ns.apply(VALID_POOL.replace("NAME", "columns"));
        // in the declared order (io.autoheal.api.crd.PrinterColumnOrder), not the generator's JSONPath order
        assertThat(ns.kubectl("get", "hc").lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "ROLE", "ENV", "DESIRED", "READY", "EIPS", "STATUS", "AGE");
        assertThat(ns.kubectl("get", "eippool").lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "TOTAL", "FREE", "ASSIGNED", "WAITING", "EXHAUSTED", "AGE");
        assertThat(ns.kubectl("get", "eippool", "-o", "wide").lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "TOTAL", "FREE", "ASSIGNED", "WAITING", "FOREIGN", "EXHAUSTED", "AGE");
        assertThat(Kubectl.run("explain", "eippool.status.attention")).contains("at most 50");
        assertThat(Kubectl.run("explain", "hc.spec.health")).contains("maxUnhealthy").contains("mass termination");
        assertThat(Kubectl.run("explain", "eippool.spec.reclaimPolicy")).contains("Release releases those not associated");
        assertThat(Kubectl.run("get", "autoheal", "-n", ns.name())).contains("healingcluster.autoheal.io/columns");
    }

    private static Arguments cluster(String name, String from, String to, String expected) {
        String manifest = VALID_CLUSTER.replace("NAME", "bad");
        if (!manifest.contains(from)) {
            throw new IllegalArgumentException(name + ": '" + from + "' not in the valid manifest");
        }
        return Arguments.of(name, manifest.replace(from, to), expected);
    }

    private static Arguments pool(String name, String from, String to, String expected) {
        String manifest = VALID_POOL.replace("NAME", "bad");
        if (!manifest.contains(from)) {
            throw new IllegalArgumentException(name + ": '" + from + "' not in the valid manifest");
        }
        return Arguments.of(name, manifest.replace(from, to), expected);
    }
}
