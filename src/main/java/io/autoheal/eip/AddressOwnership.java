package io.autoheal.eip;

import io.autoheal.eip.AllocationPlan.FreeReason;

/**
 * Pure: what a pool may do with one of its addresses, from whose the address is (its claim) and where it is (its
 * holder). One rule, in one place:
 * <ul>
 * <li>An address leaves a machine only when this pool claimed it and the machine is gone (shutting down,
 *     terminated), or is a machine of one of this pool's clusters that holds it as a second address.</li>
 * <li>An address claimed by another pool or installation, or marked as an orphaned cluster's, is foreign wherever it
 *     is: counted, reported, never moved, never given. A machine of this pool's clusters holding one keeps it and gets
 *     no second one.</li>
 * <li>An address on a machine this pool cannot place (not one of its clusters' machines: another namespace, a cluster
 *     it does not serve, an orphaned one, another shard, or not observed at all) or on something that is not an
 *     instance is foreign, whoever claimed it.</li>
 * <li>A free address this pool claimed, or that nobody claimed, may be given; an unclaimed one is claimed first
 *     (tag written and read back: the first claimant wins). An unclaimed address already on a machine of this pool's
 *     clusters (not being deleted) is adopted: claimed, and stays.</li>
 * <li>Machines of a cluster being deleted keep what they hold and get nothing new (an Orphan deletion un-claims
 *     their addresses; a Delete terminates them).</li>
 * </ul>
 */
public final class AddressOwnership {
    private AddressOwnership() {
    }

    /** Whose an address is, by its tags ({@link PoolClaim#read}). */
    public enum Claim {
        /** Nobody's claim tag: this pool may claim it. */
        NONE,
        /** This pool's claim of this installation. */
        THIS_POOL,
        /** Another pool of this installation claimed it first. */
        OTHER_POOL,
        /** Another installation's claim or installation tag. */
        OTHER_INSTALLATION,
        /** Unclaimed by the deletion of its cluster with deletionPolicy Orphan: stays on the orphaned machine. */
        ORPHANED;

        boolean someoneElses() {
            return this == OTHER_POOL || this == OTHER_INSTALLATION;
        }
    }

    /** Where the address is, as this pool can place it. */
    public enum Holder {
        /** Not associated. */
        NOTHING,
        /** A NAT gateway, a bare network interface, or an association without an id: nothing we can undo. */
        NOT_AN_INSTANCE,
        /** An alive machine of one of this pool's clusters. */
        SERVED_MACHINE,
        /** A machine of one of this pool's clusters that is shutting down or terminated. */
        DYING_MACHINE,
        /** An alive machine of one of this pool's clusters that is being deleted. */
        DELETING_CLUSTERS_MACHINE,
        /** An instance that is none of this pool's clusters' machines (or one it does not observe). */
        UNPLACED_INSTANCE
    }

    /** What the pool does with the address. */
    public enum Decision {
        /** Free and claimed by this pool: may be given now. */
        GIVE,
        /** Free and unclaimed: may be given once the claim is written and read back as this pool's. */
        CLAIM_AND_GIVE,
        /** Stays on its machine, counted as its cluster's. */
        KEEP,
        /** Stays on its machine; unclaimed, so this pool claims it now (it was associated before claims existed). */
        ADOPT,
        /** Taken off: its machine is dying. */
        FREE_FROM_DYING_MACHINE,
        /** Taken off: a second address on one machine (two deciders raced); the lowest allocation id stays. */
        FREE_SECOND_ON_MACHINE,
        /** Not this pool's to move: reported only. */
        FOREIGN;

        public boolean frees() {
            return this == FREE_FROM_DYING_MACHINE || this == FREE_SECOND_ON_MACHINE;
        }

        public boolean givable() {
            return this == GIVE || this == CLAIM_AND_GIVE;
        }

        public FreeReason freeReason() {
            return switch (this) {
                case FREE_FROM_DYING_MACHINE -> FreeReason.INSTANCE_TERMINATING;
                case FREE_SECOND_ON_MACHINE -> FreeReason.DUPLICATE_ON_INSTANCE;
                default -> throw new IllegalStateException(this + " frees nothing");
            };
        }
    }

    /**
     * @param secondOnMachine       the holder (a served machine) already keeps another of this pool's addresses
     * @param taggedForItsMachine   our assignment tag names the holder: we put it there
     */
    public static Decision decide(Claim claim, Holder holder, boolean secondOnMachine, boolean taggedForItsMachine) {
        if (claim.someoneElses()) {
            return Decision.FOREIGN;
        }
        return switch (holder) {
            case NOTHING -> claim == Claim.THIS_POOL ? Decision.GIVE : Decision.CLAIM_AND_GIVE;
            case NOT_AN_INSTANCE, UNPLACED_INSTANCE -> Decision.FOREIGN;
            case SERVED_MACHINE -> switch (claim) {
                case THIS_POOL -> secondOnMachine && taggedForItsMachine ? Decision.FREE_SECOND_ON_MACHINE : Decision.KEEP;
                case NONE -> Decision.ADOPT;
                default -> Decision.FOREIGN; // orphaned: its cluster let it go with the machine
            };
            case DYING_MACHINE -> switch (claim) {
                case THIS_POOL -> Decision.FREE_FROM_DYING_MACHINE;
                case NONE -> Decision.KEEP; // not ours to free: AWS frees it at termination, then it is free and unclaimed
                default -> Decision.FOREIGN;
            };
            case DELETING_CLUSTERS_MACHINE -> claim == Claim.THIS_POOL || claim == Claim.NONE ? Decision.KEEP : Decision.FOREIGN;
        };
    }

    /** Whether a foreign address on this holder still counts as the machine's address (it gets no second one). */
    public static boolean machineHoldsIt(Holder holder) {
        return holder == Holder.SERVED_MACHINE || holder == Holder.DYING_MACHINE || holder == Holder.DELETING_CLUSTERS_MACHINE;
    }
}
