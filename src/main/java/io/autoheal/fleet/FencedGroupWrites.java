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
    public void apply(String region, AsgAction action) {
        fence.check(PORT, "GroupWrites.apply");
        delegate.apply(region, action);
    }

    @Override
    public void replaceInstance(String region, String instanceId) {
        fence.check(PORT, "GroupWrites.replaceInstance");
        delegate.replaceInstance(region, instanceId);
    }

    @Override
    public void delete(String region, String asgName, boolean force) {
        fence.check(PORT, "GroupWrites.delete");
        delegate.delete(region, asgName, force);
    }

    @Override
    public void untag(String region, String asgName, List<String> keys) {
        fence.check(PORT, "GroupWrites.untag");
        delegate.untag(region, asgName, keys);
    }

    @Override
    public java.util.Map<String, java.util.Map<String, String>> disownInstances(String region, List<String> instanceIds, String clusterKey,
                                                                           String orphanedFrom) {
        fence.check(PORT, "GroupWrites.disownInstances");
        return delegate.disownInstances(region, instanceIds, clusterKey, orphanedFrom);
    }

    @Override
    public void tagInstance(String region, String instanceId, String key, String value) {
        fence.check(PORT, "GroupWrites.tagInstance");
        delegate.tagInstance(region, instanceId, key, value);
    }

    @Override
    public void setDesired(String region, String asgName, int desired) {
        fence.check(PORT, "GroupWrites.setDesired");
        delegate.setDesired(region, asgName, desired);
    }

    @Override
    public void removeInstance(String region, String instanceId) {
        fence.check(PORT, "GroupWrites.removeInstance");
        delegate.removeInstance(region, instanceId);
    }
}
