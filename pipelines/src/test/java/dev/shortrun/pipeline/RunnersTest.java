package dev.shortrun.pipeline;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The reachability check a flink-cluster run makes before it submits anything. */
class RunnersTest {
    @Test
    void aFlinkRestEndpointPassesAnythingElseIsNamed() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/config", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String master = "127.0.0.1:" + server.getAddress().getPort();
            Runners.requireReachable(master, Duration.ofSeconds(5));
            server.removeContext("/config");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Runners.requireReachable(master, Duration.ofSeconds(5)));
            assertEquals("the Flink cluster at " + master + " is not reachable (GET http://" + master + "/config "
                    + "answered HTTP 404: is it a Flink REST endpoint?); start it (bash infra/flink/start.sh) or fix "
                    + "--flink-master / runner.flink_master", e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSilentEndpointTimesOut() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/config", exchange -> { }); // accepts, never answers
        server.start();
        try {
            String master = "127.0.0.1:" + server.getAddress().getPort();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Runners.requireReachable(master, Duration.ofSeconds(1)));
            assertEquals("the Flink cluster at " + master + " is not reachable (no answer from http://" + master
                    + "/config within 1 s); start it (bash infra/flink/start.sh) or fix --flink-master / "
                    + "runner.flink_master", e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
