package io.autoheal.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client tokens of launch template writes: the same create gives the same token, anything else another one. */
class LaunchTemplatesTokenTest {
    @Test
    void theTokenIsAPureFunctionOfWhatIsCreatedAndFitsEc2sLimit() {
        String token = LaunchTemplates.clientToken("lt-0abc", "3", "autoheal-spec-0123456789abcdef", "{Name=web}");
        assertThat(token).isEqualTo(LaunchTemplates.clientToken("lt-0abc", "3", "autoheal-spec-0123456789abcdef", "{Name=web}"));
        assertThat(token).hasSizeLessThanOrEqualTo(64).matches("[a-z0-9-]+");
        assertThat(token).isNotEqualTo(LaunchTemplates.clientToken("lt-0abc", "4", "autoheal-spec-0123456789abcdef", "{Name=web}"))
                .isNotEqualTo(LaunchTemplates.clientToken("lt-0abd", "3", "autoheal-spec-0123456789abcdef", "{Name=web}"))
                .isNotEqualTo(LaunchTemplates.clientToken("lt-0abc", "3", "autoheal-spec-fedcba9876543210", "{Name=web}"))
                .isNotEqualTo(LaunchTemplates.clientToken("lt-0abc", "3", "autoheal-spec-0123456789abcdef", "{Name=db}"));
        // parts are separated, not concatenated: ("ab", "c") is not ("a", "bc")
        assertThat(LaunchTemplates.clientToken("ab", "c")).isNotEqualTo(LaunchTemplates.clientToken("a", "bc"));
    }
}
