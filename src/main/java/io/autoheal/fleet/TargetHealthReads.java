package io.autoheal.fleet;

/** Port: the target health the region's inventory read last (spec.health.targetGroupArns). Answers from memory, at once. */
public interface TargetHealthReads {
    /** The last refresh's target health of the region; {@link ObservedTargetHealth#NONE} before the first one. */
    ObservedTargetHealth targetHealth(AwsScope scope);
}
