package io.autoheal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "team-b-*, team-b-web, true",
            "team-b-*, team-b-, true",
            "team-b-*, team-a-web, false",
            "team-b-*, xteam-b-web, false",
            "arn:aws:iam::222222222222:instance-profile/team-b-*, arn:aws:iam::222222222222:instance-profile/team-b-web, true",
            "arn:aws:iam::222222222222:instance-profile/team-b-*, arn:aws:iam::111111111111:instance-profile/team-b-web, false",
            "arn:aws:iam::*:instance-profile/team-b-*, arn:aws:iam::333333333333:instance-profile/path/team-b-x, false",
            "arn:aws:iam::*:instance-profile/*team-b-*, arn:aws:iam::333333333333:instance-profile/path/team-b-x, true",
            "subnet-0aaa1111, subnet-0aaa1111, true",
            "subnet-0aaa1111, subnet-0aaa11112, false",
            "subnet-0aaa1111, subnet-0aaa111, false",
            "*, anything, true",
            "a*b*c, aXbYc, true",
            "a*b*c, aXbY, false",
            "a*b, ab, true",
            "a.b, aXb, false",
            "a.b, a.b, true",
            "(x)+, (x)+, true",
            "(x)+, xx, false",
            "**, '', true",
    })
    void table(String pattern, String value, boolean matches) {
        assertThat(Glob.matches(pattern, value)).isEqualTo(matches);
    }

    @org.junit.jupiter.api.Test
    void absentListAllowsAnythingEmptyListNothing() {
        assertThat(Glob.allowedBy(null, "sg-1")).isTrue();
        assertThat(Glob.allowedBy(List.of(), "sg-1")).isFalse();
        assertThat(Glob.allowedBy(List.of("sg-2", "sg-1"), "sg-1")).isTrue();
        assertThat(Glob.allowedBy(List.of("sg-2"), "sg-1")).isFalse();
    }
}
