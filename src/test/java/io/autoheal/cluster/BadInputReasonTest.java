package io.autoheal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.kube.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which reason a refused AWS request shows on the cluster: "not found" only when AWS said so. */
class BadInputReasonTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "InvalidLaunchTemplateId.NotFound, LaunchTemplateNotFound",
            "InvalidLaunchTemplateName.NotFoundException, LaunchTemplateNotFound",
            "InvalidLaunchTemplateName.AlreadyExistsException, AwsBadRequest",
            "InvalidLaunchTemplateId.Malformed, AwsBadRequest",
            "ValidationError, AwsBadRequest"})
    void reason(String code, Reason expected) {
        assertThat(ClusterActuator.badInputReason(code)).isEqualTo(expected);
    }
}
