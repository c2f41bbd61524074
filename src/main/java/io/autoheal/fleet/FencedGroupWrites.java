package io.autoheal.fleet;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.util.List;

/** Every Auto Scaling write asks the {@link WriteFence} first (CDI decorator: every injection of the port is fenced). */
@Decorator
@Priority(10)
public class FencedGroupWrites implements GroupWrites {
    private static final String PORT = "groups";
    private final GroupWrites delegate;
    private final WriteFence fence;

    @Inject
    public FencedGroupWrites(@Delegate @Any GroupWrites delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public void apply(AwsScope scope, AsgAction action) {
        fence.check(PORT, "GroupWrites.apply");
        delegate.apply(scope, action);
    }

    @Override
    public void replaceInstance(AwsScope scope, String instanceId) {
        fence.check(PORT, "GroupWrites.replaceInstance");
        delegate.replaceInstance(scope, instanceId);
    }

    @Override
    public void delete(AwsScope scope, String asgName, boolean force) {
        fence.check(PORT, "GroupWrites.delete");
        delegate.delete(scope, asgName, force);
    }

    @Override
    public void untag(AwsScope scope, String asgName, List<String> keys) {
        fence.check(PORT, "GroupWrites.untag");
        delegate.untag(scope, asgName, keys);
    }

    @Override
    public java.util.Map<String, java.util.Map<String, String>> disownInstances(AwsScope scope, List<String> instanceIds, String clusterKey,
                                                                           String orphanedFrom) {
        fence.check(PORT, "GroupWrites.disownInstances");
        return delegate.disownInstances(scope, instanceIds, clusterKey, orphanedFrom);
    }

    @Override
    public void tagInstance(AwsScope scope, String instanceId, String key, String value) {
        fence.check(PORT, "GroupWrites.tagInstance");
        delegate.tagInstance(scope, instanceId, key, value);
    }

    @Override
    public void setDesired(AwsScope scope, String asgName, int desired) {
        fence.check(PORT, "GroupWrites.setDesired");
        delegate.setDesired(scope, asgName, desired);
    }

    @Override
    public void removeInstance(AwsScope scope, String instanceId) {
        fence.check(PORT, "GroupWrites.removeInstance");
        delegate.removeInstance(scope, instanceId);
    }
}
