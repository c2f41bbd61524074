package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.testing.Moto;
import io.autoheal.testing.SandboxTest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpService;

/**
 * IRSA: in a pod, EKS sets {@code AWS_ROLE_ARN} and {@code AWS_WEB_IDENTITY_TOKEN_FILE}, and the SDK's default
 * credentials chain — which the operator's clients use — exchanges the token for the role's temporary credentials
 * with STS {@code AssumeRoleWithWebIdentity}. The chain does so only when {@code software.amazon.awssdk:sts} is on
 * the classpath; without it, it skips web identity silently and ends at the instance profile (the node's role) or
 * fails. Here STS is the sandbox's moto (it serves {@code AssumeRoleWithWebIdentity} and {@code GetCallerIdentity}
 * on its one port). The control test runs the same pod environment without the sts jar and finds no credentials:
 * what the operator's image did before the module was added.
 *
 * <p>Run: {@code make sandbox-up && source .sandbox/env && mvn -B -q test -Dtest=WebIdentityCredentialsTest}
 * (no Quarkus; only moto is used).
 */
@Tag(SandboxTest.TAG)
class WebIdentityCredentialsTest {
    static final String ROLE = "arn:aws:iam::123456789012:role/autoheal-operator";
    static final List<String> PROPERTIES = List.of("aws.webIdentityTokenFile", "aws.roleArn", "aws.roleSessionName", "aws.region",
            "aws.endpointUrlSts");

    @TempDir
    Path dir;
    Path token;
    final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void projectedToken() throws IOException {
        // What the kubelet projects into the pod: a ServiceAccount JWT (moto does not verify its signature; AWS does).
        token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXV0b2hlYWwtc3lzdGVtOmF1dG9oZWFsLW9wZXJhdG9yIn0.c2ln");
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
    }

    @AfterEach
    void restoreProperties() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void theSdkFindsExactlyOneSyncHttpClientTheUrlConnectionOne() {
        // The STS client inside the web identity provider takes the HTTP client the SDK finds on the classpath;
        // with two (e.g. apache-client brought back by a new AWS module) the SDK refuses to pick one and IRSA fails at runtime.
        assertThat(ServiceLoader.load(SdkHttpService.class).stream().map(p -> p.type().getName()).toList())
                .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
    }

    @Test
    void theWebIdentityProviderOfTheChainAssumesTheRoleAtSts() {
        // The system properties the SDK reads like the environment variables (which cannot be set in-process).
        System.setProperty("aws.webIdentityTokenFile", token.toString());
        System.setProperty("aws.roleArn", ROLE);
        System.setProperty("aws.roleSessionName", "autoheal-test");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.endpointUrlSts", Moto.endpoint().toString());
        try (WebIdentityTokenFileCredentialsProvider provider = WebIdentityTokenFileCredentialsProvider.create()) {
            AwsCredentials credentials = provider.resolveCredentials();
            assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
            assertThat(credentials.accessKeyId()).as("temporary credentials").startsWith("ASIA");
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isNotBlank();
            assertThat(credentials.accessKeyId()).isNotEqualTo(System.getenv("AWS_ACCESS_KEY_ID"));
        }
    }

    @Test
    void inAPodWithIrsaTheOperatorsClientsAssumeTheServiceAccountsRole() throws Exception {
        Probe probe = runProbe(testClasspath());
        assertThat(probe.exitCode()).as(probe.output()).isZero();
        assertThat(probe.output()).as(probe.output())
                .contains("provider=software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider")
                .contains("accessKeyPrefix=ASIA")
                .contains("sessionToken=true")
                .containsPattern("arn=arn:aws:sts::123456789012:assumed-role/autoheal-operator/\\S+");
    }

    @Test
    void withoutTheStsModuleTheSameChainFindsNoCredentials() throws Exception {
        // The control: the same pod environment and classpath minus the sts jar — what the image had before.
        String classpath = testClasspath();
        String withoutSts = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains("/software/amazon/awssdk/sts/")).collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutSts).as("the sts jar is on the test classpath").isNotEqualTo(classpath);
        Probe probe = runProbe(withoutSts);
        assertThat(probe.exitCode()).as(probe.output()).isNotZero();
        assertThat(probe.output()).as(probe.output()).contains("Unable to load credentials").contains("'sts' service module")
                .doesNotContain("accessKeyPrefix=");
    }

    record Probe(int exitCode, String output) {
    }

    /** {@link IrsaProbe} in a JVM with exactly a pod's environment: no static keys, no ~/.aws, no instance metadata, STS at moto. */
    private Probe runProbe(String classpath) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, IrsaProbe.class.getName()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("HOME", dir.toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ROLE_ARN", ROLE);
        env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_STS", Moto.endpoint().toString());
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe ends").isTrue();
        return new Probe(process.exitValue(), out);
    }

    /** Surefire's test classpath, one entry per jar or directory (java.class.path is a manifest-only booter jar). */
    private static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            throw new IllegalStateException("run by Maven Surefire, which sets surefire.test.class.path");
        }
        return cp;
    }
}
