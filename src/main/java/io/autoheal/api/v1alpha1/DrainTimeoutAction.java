package io.autoheal.api.v1alpha1;

/** What happens to a machine whose drain did not succeed in time: terminated anyway, or kept for a person. */
public enum DrainTimeoutAction {
    Continue, Keep
}
