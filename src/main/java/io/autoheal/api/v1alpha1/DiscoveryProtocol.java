package io.autoheal.api.v1alpha1;

/** Transport protocol of a published port (as Kubernetes Services name them). */
public enum DiscoveryProtocol {
    TCP, UDP, SCTP
}
