package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.OperatorException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The SDK's exceptions do not say which call failed; the interceptor marks them. A real SDK client against a local
 * HTTP server that answers every request as EC2 answers a caller without the permission.
 */
class FailedOperationsTest {
    static final String DENIED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this \
            operation. Encoded authorization failure message: c2VjcmV0LWlzaA</Message></Error></Errors>\
            <RequestID>r-1</RequestID></Response>""";
    HttpServer server;
    Ec2Client ec2;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = DENIED.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ec2 = Ec2Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(FailedOperations.INSTANCE)).build();
    }

    @AfterEach
    void stop() {
        ec2.close();
        server.stop(0);
    }

    @Test
    void aRefusedCallCarriesItsOperationAndKeepsItsType() {
        Throwable denied = catchThrowable(() -> ec2.allocateAddress(b -> b.domain("vpc")));
        assertThat(denied).isInstanceOf(Ec2Exception.class);
        assertThat(AwsErrors.operation(denied)).contains("AllocateAddress");
        assertThat(AwsErrors.operation(new OperatorException(new RuntimeException(denied)))).contains("AllocateAddress");
        assertThat(AwsErrorReasons.reason(denied)).isEqualTo(io.autoheal.kube.Reason.AwsAccessDenied);
        assertThat(AwsErrors.describe(denied)).startsWith("UnauthorizedOperation: AWS denied AllocateAddress")
                .contains("deploy/aws/iam-policy.json").doesNotContain("c2VjcmV0LWlzaA");
    }

    @Test
    void aMarkIsAddedOnceAndAnUnmarkedFailureHasNone() {
        Throwable first = catchThrowable(() -> ec2.describeAddresses());
        assertThat(AwsErrors.operation(first)).contains("DescribeAddresses");
        assertThat(first.getSuppressed()).hasSize(1);
        assertThat(AwsErrors.operation(new IllegalStateException("no AWS call"))).isEmpty();
    }
}
