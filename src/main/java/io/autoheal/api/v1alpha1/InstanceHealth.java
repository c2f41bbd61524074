package io.autoheal.api.v1alpha1;

/** The operator's verdict on one machine, as shown in status. */
public enum InstanceHealth {
    Healthy, Starting, Unhealthy, Leaving
}
