package io.autoheal.scale;

import io.autoheal.testing.InMemoryFleet;
import io.autoheal.testing.InMemoryTemplates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AWS region the scale harness's operator sees: the fast tier's {@link InMemoryFleet} and {@link InMemoryTemplates}
 * on the wall clock, AWS's asynchronous work (launches, terminations) done every {@value #STEP_MS} ms, an event queue
 * the harness pushes EventBridge messages into, and a count of every write the operator made through the ports (with
 * the instant of each machine's replacement, for the event → action time). One per JVM: the stand-in beans of the
 * operator and the harness meet here.
 */
public final class StandInRegion {
    static final long STEP_MS = 100;
    private static volatile StandInRegion current;

    public final InMemoryFleet fleet = new InMemoryFleet(Clock.systemUTC());
    public final InMemoryTemplates templates = new InMemoryTemplates();
    /** EventBridge messages (their JSON) waiting for the operator's consumer. */
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    /** Port method (e.g. "GroupWrites.replaceInstance") to how often the operator called it. */
    private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
    /** Instance id to when the operator asked to replace or remove it. */
    private final Map<String, Instant> replaced = new ConcurrentHashMap<>();
    private final ScheduledExecutorService aws = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stand-in-aws");
        t.setDaemon(true);
        return t;
    });

    /** The System property that hands the region to the next operator of this JVM (a restart: a new Quarkus application). */
    static final String SAVED = "scaleharness.saved-region";
    /** When this region was loaded from a saved one (null: it started empty). */
    public final Instant loadedAt;
    /** Group name to when the operator first observed it in this region (the first pass of its cluster). */
    private final Map<String, Instant> firstObserved = new ConcurrentHashMap<>();

    private StandInRegion() {
        String saved = System.getProperty(SAVED);
        if (saved != null) {
            io.autoheal.testing.FleetState.load(saved, fleet, templates);
            System.clearProperty(SAVED);
            loadedAt = Instant.now();
        } else {
            loadedAt = null;
        }
        aws.scheduleWithFixedDelay(fleet::step, STEP_MS, STEP_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops AWS's work (the region's thread), at the end of a run: a later application of this JVM has its own region. */
    public void stop() {
        aws.shutdownNow();
    }

    /** Stops AWS's work and leaves the region for the next operator of this JVM ({@link #SAVED}). */
    public void saveForRestart() {
        aws.shutdownNow();
        System.setProperty(SAVED, io.autoheal.testing.FleetState.save(fleet, templates));
    }

    /** Group name to its passes so far (each pass of its cluster observes it once) and when the last began. */
    private final Map<String, AtomicLong> passes = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastPass = new ConcurrentHashMap<>();
    /** Instance id to when the operator's event sink first marked it changed (an event about it reached the sink). */
    private final Map<String, Instant> eventPlaced = new ConcurrentHashMap<>();

    void observed(String asgName) {
        Instant now = Instant.now();
        firstObserved.putIfAbsent(asgName, now);
        lastPass.put(asgName, now); // before the count: who sees the count grow reads this pass's instant
        passes.computeIfAbsent(asgName, k -> new AtomicLong()).incrementAndGet();
    }

    /** Passes over this group so far. */
    public long passes(String asgName) {
        AtomicLong n = passes.get(asgName);
        return n == null ? 0 : n.get();
    }

    /** When the last pass over this group began (null: none yet). */
    public Instant lastPass(String asgName) {
        return lastPass.get(asgName);
    }

    void eventPlaced(String instanceId) {
        eventPlaced.putIfAbsent(instanceId, Instant.now());
    }

    /** When an event about this instance reached the operator's event sink (null: none did). */
    public Instant eventPlacedAt(String instanceId) {
        return eventPlaced.get(instanceId);
    }

    /** Groups observed at least once, and when the last of them was first observed. */
    public Map<String, Instant> firstObserved() {
        return Map.copyOf(firstObserved);
    }

    /** The region of this JVM, created on first use. */
    public static synchronized StandInRegion current() {
        if (current == null) {
            current = new StandInRegion();
        }
        return current;
    }

    void wrote(String portMethod) {
        writes.computeIfAbsent(portMethod, k -> new AtomicLong()).incrementAndGet();
    }

    void replacing(String instanceId) {
        replaced.putIfAbsent(instanceId, Instant.now());
    }

    /** Writes so far by port method (a copy). */
    public Map<String, Long> writes() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        writes.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public long totalWrites() {
        return writes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** When the operator asked to replace (or remove) this instance; null while it has not. */
    public Instant replacedAt(String instanceId) {
        return replaced.get(instanceId);
    }

    /** EC2's "Instance State-change Notification" for this instance, as EventBridge puts it on the queue. */
    public void publishStateChange(String region, String instanceId, String state) {
        events.add("""
                {"version":"0","id":"%s","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",\
                "account":"%s","time":"%s","region":"%s","resources":["arn:aws:ec2:%s:%s:instance/%s"],\
                "detail":{"instance-id":"%s","state":"%s"}}""".formatted(java.util.UUID.randomUUID(), InMemoryFleet.ACCOUNT,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), region, region, InMemoryFleet.ACCOUNT, instanceId,
                instanceId, state));
    }

    /** How long a long poll of the queue waits at most before answering empty. */
    static final Duration POLL = Duration.ofMillis(200);
}
