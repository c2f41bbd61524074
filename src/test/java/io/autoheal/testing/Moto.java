package io.autoheal.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** The sandbox's moto, seen from a test: reset between tests, and plain SDK clients to assert on AWS state. */
public final class Moto {
    private static Ec2Client ec2;
    private static AutoScalingClient autoScaling;
    private static software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elb;

    private Moto() {
    }

    public static URI endpoint() {
        return URI.create(Sandbox.get("AWS_ENDPOINT_URL"));
    }

    /** Forgets every AWS resource (moto's own reset API). */
    public static void reset() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + r.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset moto", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Makes the next {@code count} requests of an API action fail with this AWS error ({@code count} -1: until
     * {@link #clearFaults()}), through our moto extension sandbox/moto/autoheal_moto_faults.py.
     */
    public static void injectFault(String action, String code, int httpStatus, int count) {
        faults("POST", "/autoheal-faults", """
                {"action": "%s", "code": "%s", "status": %d, "count": %d}""".formatted(action, code, httpStatus, count));
    }

    /** As {@link #injectFault(String, String, int, int)}, with AWS' message text (plain text, no quotes or markup). */
    public static void injectFault(String action, String code, int httpStatus, int count, String message) {
        faults("POST", "/autoheal-faults", """
                {"action": "%s", "code": "%s", "status": %d, "count": %d, "message": "%s"}""".formatted(action, code, httpStatus, count, message));
    }

    /**
     * A lost answer: moto performs the next {@code count} requests of the action, then answers each with this error
     * instead of its result — as when AWS did the work but the answer never arrived (sandbox/moto/autoheal_moto_faults.py).
     */
    public static void injectLostAnswer(String action, String code, int httpStatus, int count) {
        faults("POST", "/autoheal-faults", """
                {"action": "%s", "code": "%s", "status": %d, "count": %d, "kind": "lost-answer"}""".formatted(action, code, httpStatus, count));
    }

    /** Makes a running instance's EC2 instance status check report "impaired" (or "ok" again), in moto. */
    public static void setInstanceStatus(String instanceId, String status) {
        faults("POST", "/autoheal-faults/instance-status", """
                {"instanceId": "%s", "status": "%s"}""".formatted(instanceId, status));
    }

    /**
     * Makes the group's launches fail as EC2 refuses them (sandbox/moto/autoheal_moto_launches.py): nothing is launched
     * and each attempt is a Failed scaling activity with AWS's message for the cause ("insufficient-capacity",
     * "instance-limit", "invalid-ami", "invalid-iam-profile").
     */
    public static void failLaunches(String group, String cause) {
        faults("POST", "/autoheal-faults/launch", """
                {"group": "%s", "cause": "%s"}""".formatted(group, cause));
    }

    /** Ends the group's launch fault: the group then launches what it is short of, as AWS's retries would. */
    public static void allowLaunches(String group) {
        faults("DELETE", "/autoheal-faults/launch?group=" + group, null);
    }

    /** Removes every injected fault, impaired status checks included. */
    public static void clearFaults() {
        faults("DELETE", "/autoheal-faults", null);
    }

    /** How many requests of the action the injected faults have failed so far. */
    public static int faultHits(String action) {
        try {
            int hits = 0;
            for (com.fasterxml.jackson.databind.JsonNode rule : new com.fasterxml.jackson.databind.ObjectMapper().readTree(faults("GET", "/autoheal-faults", null))) {
                if (action.equals(rule.path("action").asText())) {
                    hits += rule.path("hits").asInt();
                }
            }
            return hits;
        } catch (IOException e) {
            throw new IllegalStateException("moto /autoheal-faults answered no JSON", e);
        }
    }

    /**
     * Makes AWS announce something for an instance through EventBridge and the sandbox's queue (our moto extension
     * sandbox/moto/autoheal_moto_events.py): kind "spot-interruption", "rebalance-recommendation" or "scheduled-change".
     */
    public static void announce(String kind, String instanceId) {
        faults("POST", "/autoheal-events", """
                {"kind": "%s", "instanceId": "%s"}""".formatted(kind, instanceId));
    }

    private static String faults(String method, String path, String json) {
        try {
            HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint().resolve(path))
                    .header("Content-Type", "application/json").method(method, body).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("moto " + path + " " + method + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach moto's /autoheal-faults (is the sandbox's moto up to date? sandbox/up.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static synchronized Ec2Client ec2() {
        if (ec2 == null) {
            ec2 = Ec2Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials())
                    .httpClient(UrlConnectionHttpClient.create()).build();
        }
        return ec2;
    }

    public static synchronized AutoScalingClient autoScaling() {
        if (autoScaling == null) {
            autoScaling = AutoScalingClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials())
                    .httpClient(UrlConnectionHttpClient.create()).build();
        }
        return autoScaling;
    }

    public static synchronized software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elb() {
        if (elb == null) {
            elb = software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder().endpointOverride(endpoint())
                    .region(Region.US_EAST_1).credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        }
        return elb;
    }

    /** A new instance target group (HTTP 80) in moto's default VPC; its ARN. */
    public static String createTargetGroup(String name) {
        String vpc = ec2().describeVpcs().vpcs().stream().filter(v -> Boolean.TRUE.equals(v.isDefault())).findFirst().orElseThrow().vpcId();
        return elb().createTargetGroup(b -> b.name(name).protocol("HTTP").port(80).vpcId(vpc).targetType("instance"))
                .targetGroups().get(0).targetGroupArn();
    }

    /**
     * What DescribeTargetHealth reports for this registered target from now on (sandbox/moto/autoheal_moto_targets.py):
     * state unhealthy, healthy, initial, draining, unused or unavailable, with AWS's reason code and description.
     */
    public static void setTargetHealth(String instanceId, String state, String reason, String description) {
        faults("POST", "/autoheal-targets", """
                {"instanceId": "%s", "state": "%s", "reason": %s, "description": %s}""".formatted(instanceId, state,
                reason == null ? "null" : "\"" + reason + "\"", description == null ? "null" : "\"" + description + "\""));
    }

    /** moto's default subnets (one per availability zone of the default VPC), sorted. */
    public static List<String> defaultSubnets() {
        return ec2().describeSubnets().subnets().stream().filter(s -> Boolean.TRUE.equals(s.defaultForAz()))
                .map(Subnet::subnetId).sorted().toList();
    }

    /** EC2 as a role (STS AssumeRole in moto): a role of another account acts in that account (its own VPC, subnets, resources). */
    public static Ec2Client ec2As(String roleArn) {
        return Ec2Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(assumed(roleArn))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Auto Scaling as a role (see {@link #ec2As}). */
    public static AutoScalingClient autoScalingAs(String roleArn) {
        return AutoScalingClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(assumed(roleArn))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider assumed(String roleArn) {
        var sts = software.amazon.awssdk.services.sts.StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        return software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("autoheal-test")).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }
}
