package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ObservedAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which of this pool's claims are stale: those on addresses it no longer lists or selects (StaleClaims). */
class StaleClaimsTest {

    static List<ObservedAddress> addresses(String ids) {
        return ids.isBlank() ? List.of() : Arrays.stream(ids.split(" "))
                .map(id -> new ObservedAddress(id, "127.0.0.9", null, null, null, Map.of())).toList();
    }

    @ParameterizedTest(name = "claimed [{0}], pool now [{1}] -> release [{2}]")
    @CsvSource(delimiter = '|', value = {
            // claimed by this pool | listed or selected now | claims that go
            "a b                    | a b                    | ''",      // nothing changed
            "a b                    | b                      | a",       // a dropped from spec.addresses (or no longer selected)
            "a b                    | ''                     | a b",     // the pool is deleted: every claim goes
            "''                     | a b                    | ''",      // not claimed yet (claimed just before a first association)
            "c a                    | b                      | a c",     // sorted; b unclaimed is not ours to touch
    })
    void aClaimGoesWhenItsAddressIsNoLongerThePools(String claimed, String current, String released) {
        assertThat(StaleClaims.toRelease(addresses(claimed), addresses(current)))
                .containsExactlyElementsOf(released.isBlank() ? List.of() : List.of(released.split(" ")));
    }
}
