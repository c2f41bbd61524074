package io.autoheal.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local sandbox of real peers (kube-apiserver + etcd + kubectl, moto). Brings it up through the same
 * script as 'make sandbox-up' (idempotent: reuses running peers) and reads the endpoints from .sandbox/env.
 */
public final class Sandbox {
    private static Map<String, String> env;

    private Sandbox() {
    }

    public static synchronized Map<String, String> env() {
        if (env == null) {
            if ("check".equals(System.getProperty("autoheal.tier"))) {
                // make check runs without the sandbox: a test that reaches it here is missing its tag
                throw new IllegalStateException("make check runs without the sandbox: tag this test @SandboxTest or @Tag(\"sandbox\")");
            }
            ensureUp();
            env = parse(root().resolve(".sandbox/env"));
        }
        return env;
    }

    public static String get(String key) {
        String value = env().get(key);
        if (value == null) {
            throw new IllegalStateException(".sandbox/env has no " + key);
        }
        return value;
    }

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("sandbox/up.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (sandbox/up.sh) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static void ensureUp() {
        try {
            Process up = new ProcessBuilder("bash", "sandbox/up.sh").directory(root().toFile()).inheritIO().start();
            if (!up.waitFor(30, TimeUnit.MINUTES) || up.exitValue() != 0) {
                throw new IllegalStateException("sandbox/up.sh failed (exit " + up.exitValue() + "); see .sandbox/logs/");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run sandbox/up.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sandbox", e);
        }
    }

    static Map<String, String> parse(Path file) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.trim();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (l.startsWith("export ")) {
                    l = l.substring("export ".length()).trim();
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String value = l.substring(eq + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                out.put(l.substring(0, eq).trim(), value);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return out;
    }
}
