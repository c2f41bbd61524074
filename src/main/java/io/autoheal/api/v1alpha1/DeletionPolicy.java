package io.autoheal.api.v1alpha1;

/** What deleting a HealingCluster does to its AWS resources. */
public enum DeletionPolicy {
    Delete, Orphan
}
