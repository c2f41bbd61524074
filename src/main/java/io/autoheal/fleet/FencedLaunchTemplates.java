package io.autoheal.fleet;

import io.autoheal.api.v1alpha1.InlineMachine;
import io.autoheal.api.v1alpha1.LaunchTemplateRef;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The launch template writes (create, version, delete) ask the {@link WriteFence} first; resolving a referenced
 * template is a read and is not fenced (CDI decorator: every injection of the port is fenced).
 */
@Decorator
@Priority(10)
public class FencedLaunchTemplates implements LaunchTemplateResolver {
    private static final String PORT = "launch_templates";
    private final LaunchTemplateResolver delegate;
    private final WriteFence fence;

    @Inject
    public FencedLaunchTemplates(@Delegate @Any LaunchTemplateResolver delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public Resolved resolveReference(AwsScope scope, LaunchTemplateRef ref) {
        return delegate.resolveReference(scope, ref);
    }

    @Override
    public Resolved ensureOwned(AwsScope scope, String name, String clusterKey, String incarnation, InlineMachine machine,
                                Map<String, String> instanceTags) {
        fence.check(PORT, "LaunchTemplates.ensureOwned");
        return delegate.ensureOwned(scope, name, clusterKey, incarnation, machine, instanceTags);
    }

    @Override
    public void deleteOwned(AwsScope scope, String name, String clusterKey) {
        fence.check(PORT, "LaunchTemplates.deleteOwned");
        delegate.deleteOwned(scope, name, clusterKey);
    }

    @Override
    public void disownOwned(AwsScope scope, String name, String clusterKey, String orphanedFrom) {
        fence.check(PORT, "LaunchTemplates.disownOwned");
        delegate.disownOwned(scope, name, clusterKey, orphanedFrom);
    }

    @Override
    public void forget(AwsScope scope) {
        delegate.forget(scope);
    }
}
