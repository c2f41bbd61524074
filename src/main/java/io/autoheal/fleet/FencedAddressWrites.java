package io.autoheal.fleet;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/** Every Elastic IP write asks the {@link WriteFence} first (CDI decorator: every injection of the port is fenced). */
@Decorator
@Priority(10)
public class FencedAddressWrites implements AddressWrites {
    private static final String PORT = "addresses";
    private final AddressWrites delegate;
    private final WriteFence fence;

    @Inject
    public FencedAddressWrites(@Delegate @Any AddressWrites delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public String allocate(AwsScope scope, String poolKey, String installation, String claim) {
        fence.check(PORT, "AddressWrites.allocate");
        return delegate.allocate(scope, poolKey, installation, claim);
    }

    @Override
    public boolean claim(AwsScope scope, String allocationId, String claim) {
        fence.check(PORT, "AddressWrites.claim");
        return delegate.claim(scope, allocationId, claim);
    }

    @Override
    public void unclaim(AwsScope scope, String allocationId, String claim) {
        fence.check(PORT, "AddressWrites.unclaim");
        delegate.unclaim(scope, allocationId, claim);
    }

    @Override
    public void orphan(AwsScope scope, String allocationId, String claim, String orphanedFrom) {
        fence.check(PORT, "AddressWrites.orphan");
        delegate.orphan(scope, allocationId, claim, orphanedFrom);
    }

    @Override
    public void associate(AwsScope scope, String allocationId, String instanceId, String clusterKey) {
        fence.check(PORT, "AddressWrites.associate");
        delegate.associate(scope, allocationId, instanceId, clusterKey);
    }

    @Override
    public void forgetAssignment(AwsScope scope, String allocationId, String instanceId) {
        fence.check(PORT, "AddressWrites.forgetAssignment");
        delegate.forgetAssignment(scope, allocationId, instanceId);
    }

    @Override
    public void disassociate(AwsScope scope, String associationId) {
        fence.check(PORT, "AddressWrites.disassociate");
        delegate.disassociate(scope, associationId);
    }

    @Override
    public void release(AwsScope scope, String allocationId) {
        fence.check(PORT, "AddressWrites.release");
        delegate.release(scope, allocationId);
    }
}
