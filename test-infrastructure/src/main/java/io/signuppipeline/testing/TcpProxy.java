package io.signuppipeline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that a test can cut and restore, to make a real service unreachable for one
 * application without stopping it for everything else on the machine.
 *
 * <p>While cut, the port refuses connections and every open connection is closed, which is what a
 * client sees when a broker stops.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket server;

    private TcpProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** Starts a proxy to the target on a free loopback port. */
    public static TcpProxy to(String host, int port) {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, port), probe.getLocalPort());
            probe.close();
            proxy.restore();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loopback port to connect to instead of the target's. */
    public int port() {
        return port;
    }

    /** How many connections clients have opened through the proxy so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        closeQuietly(server);
        server = null;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
            Thread.ofVirtual().name("tcp-proxy-accept-" + port).start(() -> accept(socket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.incrementAndGet();
                Socket upstream = connectUpstream(client);
                if (upstream == null) {
                    continue;
                }
                if (!register(socket, client, upstream)) {
                    continue;
                }
                Thread.ofVirtual().start(() -> pipe(client, upstream));
                Thread.ofVirtual().start(() -> pipe(upstream, client));
            } catch (IOException e) {
                // the server socket was closed by cut(): stop accepting
            }
        }
    }

    /**
     * Tracks the pair so that {@link #cut()} closes it, unless a cut came while the pair was being
     * connected: then it is closed here, and no connection outlives a cut.
     */
    private synchronized boolean register(ServerSocket acceptedBy, Socket client, Socket upstream) {
        if (server != acceptedBy) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    private Socket connectUpstream(Socket client) {
        try {
            return new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
            closeQuietly(client);
            return null;
        }
    }

    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: close the other so the client sees the connection drop
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
