package io.autoheal.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

/**
 * The machines' HTTP services for {@link ProbeBench}, in a process of its own so that the bench's CPU figure is the
 * prober's alone: one Vert.x HTTP server on every local address (all of 127.0.0.0/8 reaches it), answering 200 to
 * everything. Prints its port on stdout, then serves until stdin closes.
 */
public final class ProbeListenerMain {
    private ProbeListenerMain() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        int port = vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(4096))
                .requestHandler(req -> req.response().end("ok"))
                .listen(0, "0.0.0.0").toCompletionStage().toCompletableFuture().get().actualPort();
        System.out.println("port " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the bench closes our stdin
        }
        vertx.close();
        System.exit(0);
    }
}
