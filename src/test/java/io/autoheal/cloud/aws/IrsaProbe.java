package io.autoheal.cloud.aws;

import io.autoheal.fleet.AwsScope;
import io.autoheal.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Run by {@link WebIdentityCredentialsTest} in a JVM of its own, with a pod's IRSA environment: the operator's own
 * {@link AwsClients} in its production configuration (defaults only: no endpoint override, no credentials) resolve
 * credentials through the EC2 client's provider, then STS (AWS_ENDPOINT_URL_STS) says whose they are. Prints
 * key=value lines; never the secret key or the session token.
 */
public final class IrsaProbe {
    private IrsaProbe() {
    }

    public static void main(String[] args) {
        // The mapping's defaults, with Quarkus' duration syntax ("20s"), as the packaged operator reads them.
        OperatorConfig config = new SmallRyeConfigBuilder().withMapping(OperatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build().getConfigMapping(OperatorConfig.class);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AwsClients clients = new AwsClients(config, new AwsRequestMetrics(registry), new AwsAttemptMetrics(registry));
        try {
            IdentityProvider<? extends AwsCredentialsIdentity> chain = clients.ec2(io.autoheal.fleet.AwsScope.own(config.region())).serviceClientConfiguration().credentialsProvider();
            System.out.println("provider=" + chain.getClass().getName());
            AwsCredentialsIdentity credentials = chain.resolveIdentity().join();
            System.out.println("accessKeyPrefix=" + credentials.accessKeyId().substring(0, 4));
            System.out.println("sessionToken=" + (credentials instanceof AwsSessionCredentialsIdentity s && !s.sessionToken().isBlank()));
            System.out.println("source=" + credentials.providerName().orElse("?"));
            try (StsClient sts = StsClient.builder().region(Region.of(config.region())).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(chain).build()) {
                System.out.println("arn=" + sts.getCallerIdentity().arn());
            }
        } finally {
            clients.close();
        }
    }
}
