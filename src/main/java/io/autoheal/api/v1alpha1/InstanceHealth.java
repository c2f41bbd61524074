package io.autoheal.api.v1alpha1;

/**
 * The operator's verdict on one machine, as shown in status: Starting (launched, not yet where its bootstrap can
 * start), Bootstrapping (its bootstrap job is queued, running or waiting to retry), Healthy, Unhealthy (with a
 * reason), Leaving (terminating, detaching or parked in Standby).
 */
public enum InstanceHealth {
    Healthy, Starting, Bootstrapping, Unhealthy, Leaving
}
