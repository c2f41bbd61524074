package io.autoheal.discovery;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where discovery templates are rendered: a small fixed pool with a bounded queue, so that renderings can never take
 * more than {@value #THREADS} threads or pile up, and a reconcile waits for one at most a few seconds. A rendering that
 * hit a limit is remembered for its template and data ({@value #REMEMBERED} of them, for {@link #REMEMBER}): the
 * same runaway template is not run again on every pass of its cluster, and costs the other clusters no renderer.
 */
@ApplicationScoped
public class TemplateRenders {
    static final int THREADS = 2;
    static final int QUEUE = 16;
    static final int REMEMBERED = 64;
    static final Duration REMEMBER = Duration.ofMinutes(10);

    private final RenderLimits limits;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger started = new AtomicInteger();
    private final Map<Key, Failure> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Failure> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Key(String template, Map<String, Object> data) {
    }

    private record Failure(TemplateRenderer.Rendered rendered, Instant at) {
    }

    @Inject
    public TemplateRenders(Clock clock) {
        this(RenderLimits.DEFAULT, clock);
    }

    TemplateRenders(RenderLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "discovery-render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The rendering, or why it failed (a limit named); waits at most twice the time limit (queue included). */
    public TemplateRenderer.Rendered render(String template, Map<String, Object> data) {
        Key key = new Key(template, data);
        Instant now = clock.instant();
        synchronized (failures) {
            Failure known = failures.get(key);
            if (known != null && now.isBefore(known.at().plus(REMEMBER))) {
                return known.rendered();
            }
            failures.remove(key);
        }
        TemplateRenderer.Rendered r = renderNow(template, data);
        if (r.limit() != null) {
            synchronized (failures) {
                failures.put(key, new Failure(r, now));
            }
        }
        return r;
    }

    private TemplateRenderer.Rendered renderNow(String template, Map<String, Object> data) {
        RenderBudget budget = new RenderBudget(limits);
        Future<TemplateRenderer.Rendered> f;
        try {
            f = pool.submit(() -> {
                started.incrementAndGet();
                budget.start();
                return TemplateRenderer.render(template, data, limits, budget);
            });
        } catch (RejectedExecutionException e) {
            return new TemplateRenderer.Rendered(null, "every template renderer is busy (" + THREADS + " threads, " + QUEUE
                    + " waiting); the next pass tries again");
        }
        try {
            return f.get(limits.timeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            budget.abandon(); // the rendering stops at its next step
            f.cancel(true);
            return TemplateRenderer.Rendered.failed(RenderLimits.Limit.TIME, limits);
        } catch (InterruptedException e) {
            budget.abandon();
            f.cancel(true);
            Thread.currentThread().interrupt();
            return TemplateRenderer.Rendered.failed(RenderLimits.Limit.TIME, limits);
        } catch (ExecutionException e) {
            return new TemplateRenderer.Rendered(null, "the template does not render: " + e.getCause());
        }
    }

    /** Renderings run so far (for tests: a remembered failure runs nothing). */
    int started() {
        return started.get();
    }

    /** Renderings running now (for tests: an abandoned one must end). */
    int active() {
        return pool.getActiveCount();
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
