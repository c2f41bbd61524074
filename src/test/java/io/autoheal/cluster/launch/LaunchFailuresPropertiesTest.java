package io.autoheal.cluster.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.autoheal.fleet.ScalingActivity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The launch verdict over random activity histories (launches that fail or get through, terminations), as a group's
 * activities appear over time and are read in windows of the newest {@code window} (as the inventory reads them):
 * 2 properties × 1,000 tries.
 */
class LaunchFailuresPropertiesTest {
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final String[] STATUS = {"Successful", "Failed", "Failed", "Cancelled", "InProgress"};

    static List<ScalingActivity> history(long seed, int size) {
        Random r = new Random(seed);
        List<ScalingActivity> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String status = STATUS[r.nextInt(STATUS.length)];
            boolean launch = r.nextInt(5) != 0;
            Instant at = T0.plusSeconds(10L * i);
            out.add(new ScalingActivity("a" + i, (launch ? "Launching a new EC2 instance" : "Terminating EC2 instance: i-" + i)
                    + (status.equals("Failed") ? ".  Status Reason: x" : ": i-" + i), status, status.equals("Failed") ? "x" : null, at, at));
        }
        return out;
    }

    /** The newest {@code window} of what had happened by step {@code upTo}, shuffled (order as read must not matter). */
    static List<ScalingActivity> read(List<ScalingActivity> all, int upTo, int window, long seed) {
        List<ScalingActivity> seen = new ArrayList<>(all.subList(Math.max(0, upTo - window), upTo));
        Collections.shuffle(seen, new Random(seed + upTo));
        return seen;
    }

    @Property(tries = 1000)
    void everyFailedLaunchIsCountedExactlyOnceWhenReadOftenEnough(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int size,
                                                                  @ForAll @IntRange(min = 1, max = 20) int window,
                                                                  @ForAll @IntRange(min = 1, max = 5) int step) {
        List<ScalingActivity> all = history(seed, size);
        int every = Math.min(step, window); // at most `window` new activities between two reads: none is missed
        Optional<Instant> mark = Optional.empty();
        List<String> counted = new ArrayList<>();
        for (int upTo = 0; upTo <= size; upTo = upTo == size ? size + 1 : Math.min(size, upTo + every)) {
            LaunchFailures.Verdict v = LaunchFailures.decide(read(all, upTo, window, seed), mark);
            v.newlyFailed().forEach(f -> counted.add(f.activityId()));
            mark = v.countedThrough();
            // a second read of the same window counts nothing
            assertThat(LaunchFailures.decide(read(all, upTo, window, seed + 1), mark).newlyFailed()).isEmpty();
        }
        Set<String> failedLaunches = new HashSet<>(all.stream().filter(a -> a.launch() && a.failed()).map(ScalingActivity::activityId).toList());
        assertThat(counted).doesNotHaveDuplicates();
        assertThat(new HashSet<>(counted)).isEqualTo(failedLaunches);
    }

    @Property(tries = 1000)
    void failingExactlyWhenTheNewestLaunchFailed(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int size,
                                                 @ForAll @IntRange(min = 1, max = 20) int window) {
        List<ScalingActivity> all = history(seed, size);
        List<ScalingActivity> seen = read(all, size, window, seed);
        LaunchFailures.Verdict v = LaunchFailures.decide(seen, Optional.empty());
        Optional<ScalingActivity> newestLaunch = seen.stream().filter(ScalingActivity::launch)
                .max(java.util.Comparator.comparing(ScalingActivity::time));
        boolean failing = newestLaunch.map(ScalingActivity::failed).orElse(false);
        assertThat(v.failing().isPresent()).isEqualTo(failing);
        v.failing().ifPresent(f -> assertThat(f.activityId()).isEqualTo(newestLaunch.get().activityId()));
        assertThat(v.failedInARow()).isEqualTo(failing ? v.failedInARow() : 0).isLessThanOrEqualTo(
                (int) seen.stream().filter(a -> a.launch() && a.failed()).count());
    }
}
