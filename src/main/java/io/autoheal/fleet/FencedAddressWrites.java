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
    public String allocate(String region, String poolKey, String installation, String claim) {
        fence.check(PORT, "AddressWrites.allocate");
        return delegate.allocate(region, poolKey, installation, claim);
    }

    @Override
    public boolean claim(String region, String allocationId, String claim) {
        fence.check(PORT, "AddressWrites.claim");
        return delegate.claim(region, allocationId, claim);
    }

    @Override
    public void unclaim(String region, String allocationId, String claim) {
        fence.check(PORT, "AddressWrites.unclaim");
        delegate.unclaim(region, allocationId, claim);
    }

    @Override
    public void orphan(String region, String allocationId, String claim, String orphanedFrom) {
        fence.check(PORT, "AddressWrites.orphan");
        delegate.orphan(region, allocationId, claim, orphanedFrom);
    }

    @Override
    public void associate(String region, String allocationId, String instanceId, String clusterKey) {
        fence.check(PORT, "AddressWrites.associate");
        delegate.associate(region, allocationId, instanceId, clusterKey);
    }

    @Override
    public void forgetAssignment(String region, String allocationId, String instanceId) {
        fence.check(PORT, "AddressWrites.forgetAssignment");
        delegate.forgetAssignment(region, allocationId, instanceId);
    }

    @Override
    public void disassociate(String region, String associationId) {
        fence.check(PORT, "AddressWrites.disassociate");
        delegate.disassociate(region, associationId);
    }

    @Override
    public void release(String region, String allocationId) {
        fence.check(PORT, "AddressWrites.release");
        delegate.release(region, allocationId);
    }
}
