package io.autoheal.api.v1alpha1;

/** What deleting an ElasticIpPool does to the addresses the operator allocated for it. */
public enum ReclaimPolicy {
    Retain, Release
}
