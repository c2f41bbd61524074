package io.autoheal.fleet;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/** Every lifecycle-hook answer asks the {@link WriteFence} first (CDI decorator: every injection of the port is fenced). */
@Decorator
@Priority(10)
public class FencedLifecycleActions implements LifecycleActions {
    private static final String PORT = "lifecycle";
    private final LifecycleActions delegate;
    private final WriteFence fence;

    @Inject
    public FencedLifecycleActions(@Delegate @Any LifecycleActions delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public void completeLaunch(AwsScope scope, String asgName, String instanceId, boolean proceed) {
        fence.check(PORT, "LifecycleActions.completeLaunch");
        delegate.completeLaunch(scope, asgName, instanceId, proceed);
    }

    @Override
    public void heartbeat(AwsScope scope, String asgName, String instanceId) {
        fence.check(PORT, "LifecycleActions.heartbeat");
        delegate.heartbeat(scope, asgName, instanceId);
    }

    @Override
    public void completeDrain(AwsScope scope, String asgName, String instanceId) {
        fence.check(PORT, "LifecycleActions.completeDrain");
        delegate.completeDrain(scope, asgName, instanceId);
    }

    @Override
    public void drainHeartbeat(AwsScope scope, String asgName, String instanceId) {
        fence.check(PORT, "LifecycleActions.drainHeartbeat");
        delegate.drainHeartbeat(scope, asgName, instanceId);
    }
}
