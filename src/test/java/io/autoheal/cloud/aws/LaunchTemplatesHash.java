package io.autoheal.cloud.aws;

import io.autoheal.api.v1alpha1.InlineMachine;

/** Test access to the spec hash the owned launch template's versions are derived from (package-private there). */
public final class LaunchTemplatesHash {
    private LaunchTemplatesHash() {
    }

    public static String of(InlineMachine machine) {
        return LaunchTemplates.hash(machine);
    }
}
