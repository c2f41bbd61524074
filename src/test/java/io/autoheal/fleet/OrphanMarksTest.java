package io.autoheal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which resources Orphan rewrites, and when the rewrite reads back as done (OrphanMarks). Cluster ns/voip, installation prod. */
class OrphanMarksTest {

    static Map<String, String> tags(String cluster, String installation, String mark) {
        Map<String, String> tags = new java.util.HashMap<>();
        if (!cluster.isEmpty()) {
            tags.put(Tags.CLUSTER, cluster);
        }
        if (!installation.isEmpty()) {
            tags.put(Tags.INSTALLATION, installation);
        }
        if (!mark.isEmpty()) {
            tags.put(Tags.ORPHANED_FROM, mark);
        }
        return tags;
    }

    @ParameterizedTest(name = "cluster={0} installation={1} mark={2}: rewrite={3}, done={4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // cluster tag | installation tag | orphaned-from      | rewrite | rewritten
            "ns/voip       | prod             | ''                 | true    | false", // ours: rewrite
            "ns/voip       | prod             | prod/ns/voip       | true    | false", // marked, cluster tag not yet gone
            "''            | prod             | prod/ns/voip       | false   | true",  // done: a repeat does nothing
            "''            | prod             | ''                 | false   | false", // never ours (or lost): not rewritten, not done
            "ns/other      | prod             | ''                 | false   | false", // another cluster's machine
            "ns/voip       | staging          | ''                 | false   | false", // another installation's, same ns/name
            "ns/voip       | ''               | ''                 | false   | false", // legacy (installation default), not prod
            "''            | prod             | staging/ns/voip    | false   | false", // another installation's mark
    })
    void rewritesOnlyThisClustersOwnResourcesOfThisInstallation(String cluster, String installation, String mark, boolean rewrite,
                                                                  boolean rewritten) {
        Map<String, String> t = tags(cluster, installation, mark);
        assertThat(OrphanMarks.toRewrite(t, "ns/voip", "prod")).isEqualTo(rewrite);
        assertThat(OrphanMarks.rewritten(t, "ns/voip", "prod")).isEqualTo(rewritten);
    }

    @ParameterizedTest
    @CsvSource({"default, ns/voip, default/ns/voip", "prod, team-a/db, prod/team-a/db"})
    void theMarkNamesInstallationNamespaceAndName(String installation, String cluster, String mark) {
        assertThat(OrphanMarks.value(installation, cluster)).isEqualTo(mark);
    }
}
