package io.autoheal.eip;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure: the Event messages for one pass's associations on one object (the pool, or one of its clusters). A heal
 * associates one or two addresses: each gets its own Event, as before. A cold start associates a pool's hundred at
 * once: one Event per address (twice: pool and cluster) made 20,000 Events for 1,000 clusters, which took the API
 * server minutes to take and filled the recorder's queue under load (docs/performance.md, part 6). Beyond
 * {@value #ONE_EACH} in a pass, one Event lists them, within the Event note's size.
 */
final class AssociationEvents {
    static final int ONE_EACH = 3;
    /** Room in an Event note (the recorder truncates at 1,000 characters) for the list. */
    static final int MAX_LIST = 900;

    private AssociationEvents() {
    }

    /** @param items one "Associated"-sentence tail per association: "{ip} ({allocation}) with {instance}[ (why)]" */
    static List<String> messages(List<String> items) {
        if (items.size() <= ONE_EACH) {
            return items.stream().map(i -> "Associated " + i).toList();
        }
        StringBuilder list = new StringBuilder();
        int listed = 0;
        for (String item : items) {
            if (list.length() + item.length() + 2 > MAX_LIST) {
                break;
            }
            list.append(listed == 0 ? "" : "; ").append(item);
            listed++;
        }
        String more = listed < items.size() ? "; and " + (items.size() - listed) + " more" : "";
        return new ArrayList<>(List.of("Associated " + items.size() + " addresses: " + list + more));
    }
}
