package io.autoheal.bootstrap;

import java.time.Instant;
import java.util.Optional;

/**
 * The planner's answer for one machine.
 *
 * @param step      what to do now
 * @param record    the record to act on and write back (it may differ from the input: an adopted tag, a timeout)
 * @param nextCheck when this machine needs looking at again without any new event (empty: never)
 */
public record BootstrapPlan(BootstrapStep step, BootstrapRecord record, Optional<Instant> nextCheck) {
}
