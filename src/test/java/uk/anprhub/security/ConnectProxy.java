package uk.anprhub.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP proxy that only tunnels ({@code CONNECT host:port}), as a force's PSN/VPN proxy does for HTTPS, on
 * loopback; it records the target of every tunnel it opened. Anything but CONNECT is answered 405.
 */
final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> tunnels = new CopyOnWriteArrayList<>();

    ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "connect-proxy");
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} of every tunnel opened so far. */
    List<String> tunnels() {
        return List.copyOf(tunnels);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                daemon(() -> serve(client), "connect-proxy-tunnel");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = head(in);
            String[] request = head.split("\r\n", 2)[0].split(" ");
            OutputStream out = client.getOutputStream();
            if (request.length < 3 || !"CONNECT".equals(request[0])) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            int colon = request[1].lastIndexOf(':');
            try (Socket target = new Socket(request[1].substring(0, colon), Integer.parseInt(request[1].substring(colon + 1)))) {
                tunnels.add(request[1]);
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = daemon(() -> pump(target, client), "connect-proxy-back");
                pump(client, target);
                back.join();
            }
        } catch (IOException | RuntimeException e) {
            // the client or the target went away: the tunnel ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request line and headers, up to the empty line (byte by byte: nothing of the tunnel may be read ahead). */
    private static String head(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && b.length() < 8192) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString();
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
