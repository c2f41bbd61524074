package io.autoheal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The shared set-up of the sandbox tests ({@link SandboxTest}): a random namespace per test class on the real API
 * server; optionally moto reset (and its injected faults cleared) before each test and the test's resources deleted
 * after it; on failure a dump of what an on-call engineer would look at first: the custom resources' status, the
 * namespace's Events and the operator's log tail. Use as
 * {@code @RegisterExtension static TestNamespace ns = new TestNamespace("eip").freshAws().deleteAfterEach("healingclusters");}.
 * The class's own {@code @BeforeEach} methods run after the reset, its {@code @AfterEach} methods before the deletion.
 */
public class TestNamespace implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, TestWatcher {
    static final Path OPERATOR_LOG = Path.of("target/operator-test.log");
    private final String prefix;
    private String name;
    private boolean freshAws;
    private boolean clearFaults;
    private final List<String> deleteAfterEach = new ArrayList<>();

    public TestNamespace(String prefix) {
        this.prefix = prefix;
    }

    /** moto reset before each test: every test starts from an empty AWS. */
    public TestNamespace freshAws() {
        this.freshAws = true;
        return this;
    }

    /** moto's injected faults cleared before and after each test (after: before the resources are deleted). */
    public TestNamespace clearFaults() {
        this.clearFaults = true;
        return this;
    }

    /** After each test, {@code kubectl delete <kinds> --all} in this namespace (kinds comma-separated), in this order. */
    public TestNamespace deleteAfterEach(String kinds) {
        deleteAfterEach.add(kinds);
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (freshAws) {
            Moto.reset();
        }
        if (clearFaults) {
            Moto.clearFaults();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (clearFaults) {
            Moto.clearFaults();
        }
        for (String kinds : deleteAfterEach) {
            if (kinds.contains("healingclusters")) {
                // clean-up, not the test: a Delete would wait for every machine's drain (DrainingDelete)
                Kubectl.exec(null, "annotate", "healingclusters", "--all", "autoheal.io/force-delete=true", "--overwrite", "-n", name);
            }
            kubectl("delete", kinds, "--all", "--timeout=90s");
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        name = "t-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Kubectl.run("create", "namespace", name);
    }

    /** kubectl in this namespace. */
    public String kubectl(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-n";
        all[args.length + 1] = name;
        return Kubectl.run(all);
    }

    /** kubectl apply -f - in this namespace, failing the test on error. */
    public String apply(String yaml) {
        Kubectl.Result r = Kubectl.exec(yaml, "apply", "-n", name, "-f", "-");
        if (!r.ok()) {
            throw new AssertionError("kubectl apply failed: " + r.output() + "\n" + yaml);
        }
        return r.output();
    }

    /** How long {@link #awaitEvent} waits: Events queue behind others under load, but arrive within seconds. */
    public static final Duration EVENT_WAIT = Duration.ofSeconds(30);

    /**
     * The Events of this reason in this namespace, one line each: {@code <type> <object name>: <message>}. Events are sent in
     * the background (kube/EventRecorder): read right after an action, use {@link #awaitEvent} instead.
     */
    public String events(String reason) {
        return kubectl("get", "events", "--field-selector", "reason=" + reason, "-o",
                "jsonpath={range .items[*]}{.type} {.involvedObject.name}: {.message}{\"\\n\"}{end}");
    }

    /**
     * Waits (at most {@link #EVENT_WAIT}) until an Event of this reason exists whose line (see {@link #events}) contains
     * every fragment (e.g. {@code "Warning "}, an object or instance name, a phrase); returns all that reason's lines.
     */
    public String awaitEvent(String reason, String... fragments) {
        AtomicReference<String> lines = new AtomicReference<>("");
        await().atMost(EVENT_WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            lines.set(events(reason));
            assertThat(lines.get().lines().toList()).as("Events of reason %s in %s", reason, name)
                    .anySatisfy(line -> {
                        for (String fragment : fragments) {
                            assertThat(line).contains(fragment);
                        }
                    });
        });
        return lines.get();
    }

    /** {@link #awaitEvent} for each reason, with no fragment: an Event of every one of these reasons exists. */
    public void awaitEvents(String... reasons) {
        for (String reason : reasons) {
            awaitEvent(reason);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder dump = new StringBuilder("\n===== diagnostics for " + context.getDisplayName() + " in namespace " + name + " =====\n");
        dump.append(Kubectl.exec(null, "get", "healingclusters,elasticippools", "-n", name, "-o", "yaml").output());
        dump.append("\n----- events -----\n");
        dump.append(Kubectl.exec(null, "get", "events", "-n", name, "--sort-by=.lastTimestamp").output());
        dump.append("\n----- operator log (tail) -----\n");
        try {
            if (Files.exists(OPERATOR_LOG)) {
                List<String> lines = Files.readAllLines(OPERATOR_LOG);
                lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(l -> dump.append(l).append('\n'));
            }
        } catch (IOException e) {
            dump.append("(cannot read ").append(OPERATOR_LOG).append(": ").append(e.getMessage()).append(")\n");
        }
        System.err.println(dump);
    }
}
