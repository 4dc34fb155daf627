package io.signuppipeline.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for the servers the suites start (the services, an SMTP server that is stopped and started
 * again).
 */
public final class FreePorts {

    private static final int FIRST_PORT = 20_000;
    private static final int LAST_PORT = 32_000;
    private static final Random PORTS = new Random();
    /** Ports handed out by this JVM: each only once, so two services chosen in a row never share one. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A free port below the kernel's ephemeral range (32768 and up on Linux). A port the kernel hands
     * out for "any free port" can be taken, between choosing it and binding it, or while a server is
     * down for a restart, by one of the many outgoing connections the services open to PostgreSQL
     * and RabbitMQ; ports below that range are never used for outgoing connections. A port is free
     * until its server binds it, so this JVM never hands out the same port twice.
     */
    public static int belowEphemeralRange() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = FIRST_PORT + PORTS.nextInt(LAST_PORT - FIRST_PORT);
            if (!GIVEN.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IllegalStateException("No free port between " + FIRST_PORT + " and " + LAST_PORT);
    }
}
