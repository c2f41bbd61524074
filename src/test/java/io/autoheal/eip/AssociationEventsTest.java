package io.autoheal.eip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AssociationEventsTest {

    static List<String> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> "127.0.0." + i + " (eipalloc-" + i + ") with i-" + i).toList();
    }

    @Test
    void aHealsFewAssociationsGetAnEventEach() {
        assertThat(AssociationEvents.messages(items(1))).containsExactly("Associated 127.0.0.0 (eipalloc-0) with i-0");
        assertThat(AssociationEvents.messages(items(3))).hasSize(3);
    }

    @Test
    void aColdStartsManyGetOneEventListingThem() {
        List<String> messages = AssociationEvents.messages(items(10));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).startsWith("Associated 10 addresses: 127.0.0.0 (eipalloc-0) with i-0; ")
                .contains("127.0.0.9 (eipalloc-9) with i-9").doesNotContain("more");
    }

    @Test
    void aLongListIsCutWithinTheNoteAndSaysHowManyMore() {
        String message = AssociationEvents.messages(items(100)).get(0);
        assertThat(message).startsWith("Associated 100 addresses: ").matches(".*; and \\d+ more$");
        assertThat(message.length()).isLessThanOrEqualTo(1000);
        int listed = message.split("; ").length - 1;
        assertThat(message).endsWith("and " + (100 - listed) + " more");
    }
}
