package io.autoheal.cluster.launch;

import io.autoheal.fleet.ScalingActivity;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pure: what a group's recent scaling activities say about its launches. The group is failing to launch when its
 * newest launch activity failed; the failure is the newest failed one since the last launch that got through (so a
 * success clears it). Failed launch activities newer than {@code countedThrough} are new: each is counted once, and
 * the mark survives restarts in the status.
 */
public final class LaunchFailures {
    private LaunchFailures() {
    }

    /** A failed launch as AWS described it. */
    public record Failure(LaunchFailureReason reason, String message, String activityId, Instant at) {
    }

    /**
     * @param failing        the failure to report, empty when launches get through (or nothing was read)
     * @param failedInARow   failed launches since the last one that got through
     * @param newlyFailed    failed launch activities not counted before, oldest first
     * @param countedThrough the new mark: the time of the newest failed launch counted so far
     */
    public record Verdict(Optional<Failure> failing, int failedInARow, List<Failure> newlyFailed, Optional<Instant> countedThrough) {
    }

    /**
     * @param activities     the group's activities as read (any order; empty when the group is settled and none were read)
     * @param countedThrough the previous mark (empty: nothing counted yet)
     */
    public static Verdict decide(List<ScalingActivity> activities, Optional<Instant> countedThrough) {
        List<ScalingActivity> launches = activities.stream().filter(ScalingActivity::launch).filter(a -> a.time() != null)
                .sorted(Comparator.comparing(ScalingActivity::time).reversed()).toList();
        int inARow = 0;
        for (ScalingActivity a : launches) {
            if (!a.failed()) {
                break;
            }
            inARow++;
        }
        Optional<Failure> failing = inARow == 0 ? Optional.empty() : Optional.of(failure(launches.get(0)));
        List<Failure> fresh = launches.stream().filter(ScalingActivity::failed)
                .filter(a -> countedThrough.map(mark -> a.time().isAfter(mark)).orElse(true))
                .sorted(Comparator.comparing(ScalingActivity::time)).map(LaunchFailures::failure).toList();
        Optional<Instant> mark = fresh.isEmpty() ? countedThrough : Optional.of(fresh.get(fresh.size() - 1).at());
        return new Verdict(failing, inARow, fresh, mark);
    }

    private static Failure failure(ScalingActivity a) {
        String message = a.statusMessage() != null && !a.statusMessage().isBlank() ? a.statusMessage() : a.description();
        return new Failure(LaunchFailureReason.of(message), message, a.activityId(), a.time());
    }
}
