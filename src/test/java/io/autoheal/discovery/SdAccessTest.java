package io.autoheal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may read /sd/targets: the token's holder; nobody when no token is configured, unless opened on purpose. */
class SdAccessTest {

    @ParameterizedTest(name = "token={0} open={1} Authorization={2} -> {3}")
    @CsvSource(nullValues = "null", value = {
            // configured token
            "s3cret, false, Bearer s3cret, 200",
            "s3cret, false, bearer s3cret, 200",
            "s3cret, false, Bearer  s3cret , 200",
            "s3cret, false, null, 401",
            "s3cret, false, '', 401",
            "s3cret, false, Basic czNjcmV0, 401",
            "s3cret, false, Bearer wrong, 403",
            "s3cret, false, Bearer s3cre, 403",
            "s3cret, false, Bearer s3cretX, 403",
            "s3cret, false, Bearer, 401",
            "s3cret, false, Bearer '', 403",
            // the opt-out does not weaken a configured token
            "s3cret, true, null, 401",
            "s3cret, true, Bearer wrong, 403",
            // no token configured: closed by default, open only on purpose
            "null, false, null, 403",
            "null, false, Bearer anything, 403",
            "'  ', false, Bearer '  ', 403",
            "null, true, null, 200",
            "null, true, Bearer anything, 200",
    })
    void decisions(String token, boolean open, String authorization, int status) {
        SdAccess.Decision d = new SdAccess(Optional.ofNullable(token), open).decide(authorization);
        assertThat(d.status()).isEqualTo(status);
        assertThat(d.allowed()).isEqualTo(status == 200);
        if (token != null && !token.isBlank()) {
            assertThat(d.message()).as("never echoes the token").doesNotContain(token);
        }
    }

    @ParameterizedTest
    @CsvSource({"null", "''"})
    void withoutATokenTheRefusalSaysHowToOpenIt(String token) {
        SdAccess.Decision d = new SdAccess(Optional.ofNullable("null".equals(token) ? null : token), false).decide(null);
        assertThat(d.message()).contains("autoheal.discovery.sd-token").contains("docs/monitoring.md");
    }
}
