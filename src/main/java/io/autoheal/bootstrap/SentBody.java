package io.autoheal.bootstrap;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body that knows whether it went out: {@link #sent()} turns true once the HTTP client has taken the
 * whole body for the connection. The client only asks for the body after the connection (and TLS) is up, so a
 * refused connection, a failed handshake or a connect timeout leave it false; a failure after it is true means the
 * bootstrapper may have received the request and started a job.
 */
final class SentBody implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher body;
    private final AtomicBoolean sent = new AtomicBoolean();

    SentBody(String text) {
        this.body = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }

    boolean sent() {
        return sent.get();
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> client) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                client.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                client.onNext(item);
            }

            @Override
            public void onError(Throwable error) {
                client.onError(error);
            }

            @Override
            public void onComplete() {
                sent.set(true);
                client.onComplete();
            }
        });
    }
}
