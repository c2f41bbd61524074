package io.autoheal.discovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Debian tool the discovery tests run (prometheus, haproxy): found on PATH or in /usr/bin, /usr/sbin; failing, never skipping. */
final class Tool {
    private Tool() {
    }

    static String path(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin"));
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed: scripts/prereqs.sh installs Debian's " + name + " package");
    }
}
