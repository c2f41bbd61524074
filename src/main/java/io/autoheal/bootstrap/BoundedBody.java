package io.autoheal.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Reads an HTTP answer from a URL someone else chose, within a size and a time limit: at most {@link #LIMIT} bytes
 * and at most {@code deadline} from the response headers on. Past either, reading stops, the subscription is
 * cancelled (the client drops the connection) and the answer fails with {@link TooLarge} or a timeout: an endless
 * or dripping body costs the operator 64 KiB and one deadline, never its heap.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<String> {
    /** The most of an answer the operator reads (a job id, a status word, a play recap fit many times over). */
    public static final int LIMIT = 64 * 1024;

    /** The answer was longer than the limit; the rest was never read. */
    public static final class TooLarge extends IOException {
        public TooLarge(int limit) {
            super("the answer is longer than " + limit / 1024 + " KiB (the operator reads at most that)");
        }
    }

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    BoundedBody(int limit, Duration deadline) {
        this.limit = limit;
        CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> fail(new HttpTimeoutException("the answer's body did not end within " + deadline)));
    }

    /** A handler reading every answer with these limits. */
    public static HttpResponse.BodyHandler<String> handler(int limit, Duration deadline) {
        return info -> new BoundedBody(limit, deadline);
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        synchronized (bytes) {
            for (ByteBuffer b : items) {
                if (bytes.size() + b.remaining() > limit) {
                    fail(new TooLarge(limit));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        synchronized (bytes) {
            result.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    private void fail(IOException why) {
        if (result.completeExceptionally(why)) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel(); // the client closes the connection: nothing more is read
            }
        }
    }
}
