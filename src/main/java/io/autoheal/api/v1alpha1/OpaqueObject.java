package io.autoheal.api.v1alpha1;

/** Schema stand-in for embedded Kubernetes objects that the API server validates when they are created. */
final class OpaqueObject {
    private OpaqueObject() {
    }
}
