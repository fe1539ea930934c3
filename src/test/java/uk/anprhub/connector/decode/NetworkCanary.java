package uk.anprhub.connector.decode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/** A local TCP listener that counts connections: proves a parser never fetched an external DTD or entity. */
final class NetworkCanary implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    NetworkCanary() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "network-canary");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + "/" + path;
    }

    int connections() throws InterruptedException {
        Thread.sleep(100); // let a late connection be counted
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
