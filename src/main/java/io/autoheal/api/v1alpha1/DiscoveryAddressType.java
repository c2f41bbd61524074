package io.autoheal.api.v1alpha1;

/** Which IPv4 address of a machine is published. */
public enum DiscoveryAddressType {
    Private, Public
}
