package io.autoheal.fleet;

/** Port: opens the event queue at a configured address (autoheal.events.queue-url). */
public interface EventQueues {
    EventQueue open(String queueUrl);
}
