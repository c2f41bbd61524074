package io.autoheal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.AwsScope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Table: which inventories an event of (account, region) is placed in. */
class EventScopesTest {
    static final String ROLE_B = "arn:aws:iam::222222222222:role/autoheal-team-b";
    static final String ROLE_C = "arn:aws:iam::333333333333:role/autoheal-team-c";
    static final AwsScope B_EAST = AwsScope.assumed("us-east-1", ROLE_B, "team-b");
    static final AwsScope B2_EAST = AwsScope.assumed("us-east-1", ROLE_B, "team-b2");
    static final AwsScope B_WEST = AwsScope.assumed("eu-west-1", ROLE_B, "team-b");
    static final AwsScope C_EAST = AwsScope.assumed("us-east-1", ROLE_C, "team-c");
    static final Set<AwsScope> KNOWN = Set.of(AwsScope.own("us-east-1"), B_EAST, B2_EAST, B_WEST, C_EAST);

    record Row(String account, String region, List<AwsScope> expected) {
    }

    @Test
    void anEventGoesToTheOperatorsOwnScopeAndTheTenantScopesOfItsAccountAndRegionOnly() {
        List<Row> rows = List.of(
                new Row("222222222222", "us-east-1", List.of(AwsScope.own("us-east-1"), B_EAST, B2_EAST)),
                new Row("222222222222", "eu-west-1", List.of(AwsScope.own("eu-west-1"), B_WEST)),
                new Row("333333333333", "us-east-1", List.of(AwsScope.own("us-east-1"), C_EAST)),
                new Row("123456789012", "us-east-1", List.of(AwsScope.own("us-east-1"))), // the operator's own account
                new Row("", "us-east-1", List.of(AwsScope.own("us-east-1"))),           // no account in the envelope
                new Row("333333333333", "ap-south-1", List.of(AwsScope.own("ap-south-1"))));
        for (Row r : rows) {
            assertThat(EventScopes.route(r.account(), r.region(), KNOWN)).as("%s %s", r.account(), r.region()).isEqualTo(r.expected());
        }
    }
}
