package io.autoheal.health.probe;

import io.autoheal.api.v1alpha1.ProbeSpec;
import java.util.function.Consumer;

/** Sends one probe (the I/O seam: Vert.x in production, fakes and recorders in tests). */
public interface ProbeConnector {

    /**
     * Sends {@code spec}'s probe to {@code address} (a literal IP the guard allowed) and calls {@code done} exactly once,
     * within about timeoutSeconds: with null for a success, else the error ("HTTP 503", "connection refused",
     * "timeout after 1s"). Never blocks the caller.
     */
    void probe(ProbeSpec spec, String address, Consumer<String> done);
}
