package io.autoheal.events;

import static io.autoheal.events.EventRouting.Action.DELETE;
import static io.autoheal.events.EventRouting.Action.LEAVE;
import static io.autoheal.events.EventRouting.Ownership.NOTHING_TO_OWN;
import static io.autoheal.events.EventRouting.Ownership.NOT_OURS;
import static io.autoheal.events.EventRouting.Ownership.OURS;
import static io.autoheal.events.EventRouting.Ownership.UNPLACED;
import static io.autoheal.events.EventRouting.QueueMode.DEDICATED;
import static io.autoheal.events.EventRouting.QueueMode.FOREIGN;
import static io.autoheal.events.EventRouting.QueueMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which queue messages a consumer deletes, and whose a queue is: table tests of the pure rule. */
class EventRoutingTest {

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("own queue: our event", OURS, DEDICATED, 1, DELETE),
                Arguments.of("own queue: another shard's event (it has its own copy)", NOT_OURS, DEDICATED, 1, DELETE),
                Arguments.of("own queue: an event naming nothing", NOTHING_TO_OWN, DEDICATED, 1, DELETE),
                Arguments.of("own queue: inventory not read yet", UNPLACED, DEDICATED, 1, LEAVE),
                Arguments.of("own queue: inventory still not read after 10 receives", UNPLACED, DEDICATED, 10, DELETE),
                Arguments.of("shared queue: our event", OURS, SHARED, 1, DELETE),
                Arguments.of("shared queue: our event, the 7th receive", OURS, SHARED, 7, DELETE),
                Arguments.of("shared queue: not ours, first receive (the owner may get it next)", NOT_OURS, SHARED, 1, LEAVE),
                Arguments.of("shared queue: not ours, 4th receive", NOT_OURS, SHARED, 4, LEAVE),
                Arguments.of("shared queue: not ours after 10 receives (nobody's)", NOT_OURS, SHARED, 10, DELETE),
                Arguments.of("shared queue: an event naming nothing", NOTHING_TO_OWN, SHARED, 1, DELETE),
                Arguments.of("shared queue: inventory not read yet", UNPLACED, SHARED, 2, LEAVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decide(String name, EventRouting.Ownership ownership, EventRouting.QueueMode mode, int receives, EventRouting.Action expected) {
        assertThat(EventRouting.decide(ownership, mode, receives)).isEqualTo(expected);
    }

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("unsharded, untagged queue: its own, as before tags", Optional.of(Map.of()), Optional.empty(), DEDICATED),
                Arguments.of("unsharded, tags unreadable", Optional.empty(), Optional.empty(), DEDICATED),
                Arguments.of("unsharded, queue tagged unsharded", tags("unsharded"), Optional.empty(), DEDICATED),
                Arguments.of("unsharded, queue tagged for shard a", tags("a"), Optional.empty(), FOREIGN),
                Arguments.of("shard a, queue tagged a", tags("a"), Optional.of("a"), DEDICATED),
                Arguments.of("shard a, queue tagged a with spaces", tags(" a "), Optional.of("a"), DEDICATED),
                Arguments.of("shard a, queue tagged b", tags("b"), Optional.of("a"), FOREIGN),
                Arguments.of("shard a, queue tagged unsharded", tags("unsharded"), Optional.of("a"), FOREIGN),
                Arguments.of("shard a, untagged queue: cannot prove it is its own", Optional.of(Map.of("team", "x")), Optional.of("a"), SHARED),
                Arguments.of("shard a, tags unreadable", Optional.empty(), Optional.of("a"), SHARED),
                Arguments.of("blank shard is no shard", Optional.of(Map.of()), Optional.of(" "), DEDICATED),
                Arguments.of("blank tag is no tag", tags(""), Optional.of("a"), SHARED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void mode(String name, Optional<Map<String, String>> tags, Optional<String> shard, EventRouting.QueueMode expected) {
        assertThat(EventRouting.mode(tags, shard)).isEqualTo(expected);
    }

    /** Whatever the receive count: what is ours is deleted, and a shared queue never deletes another's before its 5th receive. */
    @Property
    void aSharedQueueNeverLosesAnotherShardsEventEarly(@ForAll @IntRange(min = 1, max = 1000) int receives) {
        assertThat(EventRouting.decide(OURS, SHARED, receives)).isEqualTo(DELETE);
        assertThat(EventRouting.decide(NOT_OURS, SHARED, receives)).isEqualTo(receives < EventRouting.MAX_RECEIVES ? LEAVE : DELETE);
        assertThat(EventRouting.decide(NOT_OURS, DEDICATED, receives)).isEqualTo(DELETE);
    }

    static Optional<Map<String, String>> tags(String value) {
        return Optional.of(Map.of(EventRouting.QUEUE_TAG, value));
    }
}
