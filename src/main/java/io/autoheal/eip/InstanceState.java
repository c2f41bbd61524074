package io.autoheal.eip;

/** The EC2 instance states the allocator distinguishes. */
public enum InstanceState {
    PENDING, RUNNING, STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED;

    /** Alive instances keep the address they hold (stopping or stopped ones too: they come back with it). */
    public boolean alive() {
        return this != SHUTTING_DOWN && this != TERMINATED;
    }

    /** Only instances that are starting or running need an address; stopped ones do not get a new one. */
    public boolean needsAddress() {
        return this == PENDING || this == RUNNING;
    }

    /** Maps EC2's state name ("shutting-down", ...); anything unknown is treated as gone. */
    public static InstanceState of(String ec2State) {
        return switch (ec2State == null ? "" : ec2State) {
            case "pending" -> PENDING;
            case "running" -> RUNNING;
            case "stopping" -> STOPPING;
            case "stopped" -> STOPPED;
            case "shutting-down" -> SHUTTING_DOWN;
            default -> TERMINATED;
        };
    }
}
