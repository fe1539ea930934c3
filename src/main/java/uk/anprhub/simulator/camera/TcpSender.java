package uk.anprhub.simulator.camera;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TCP connection to a hub feed: a frame, then the ack the hub writes after the commit, then the next frame.
 * An ack of two integers is read as {@code {stored} {duplicates}}; an ACK byte or any other line counts the frame's
 * reads as acknowledged; a NAK byte, {@code NAK ...} or {@code 0 0} for a frame with reads is a refusal.
 */
final class TcpSender implements Sender {

    private static final Pattern COUNTS = Pattern.compile("\\D*?(\\d+)\\s+(\\d+)\\s*");
    private static final int ACK = 0x06, NAK = 0x15;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final boolean stxEtx;

    private TcpSender(String host, int port, boolean stxEtx) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
        this.stxEtx = stxEtx;
    }

    static Factory factory(String host, int port, String framing) {
        boolean stx = switch (framing) {
            case "line" -> false;
            case "stx-etx" -> true;
            default -> throw new IllegalArgumentException("--framing must be line or stx-etx, not " + framing);
        };
        return () -> new TcpSender(host, port, stx);
    }

    @Override
    public Ack send(Message m) throws IOException {
        if (stxEtx) {
            out.write(0x02);
            out.write(m.body());
            out.write(0x03);
        } else {
            out.write(m.body());
            out.write('\n');
        }
        out.flush();
        String ack = ack();
        Matcher c = COUNTS.matcher(ack);
        if (c.matches()) {
            long stored = Long.parseLong(c.group(1)), duplicates = Long.parseLong(c.group(2));
            return stored + duplicates == 0 && (m.reads() > 0 || m.bad()) ? Ack.refused("ack 0 0")
                    : new Ack(Outcome.ACKNOWLEDGED, "ack", stored + duplicates, stored, duplicates, 0);
        }
        if (ack.equals("\u0015") || ack.startsWith("NAK")) {
            return Ack.refused("nak");
        }
        return Ack.acknowledged("ack", m.reads());
    }

    /** One ack: a single ACK/NAK byte, or a line up to LF (CR dropped). */
    private String ack() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32);
        for (int c; ; ) {
            c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by the hub");
            }
            if (b.size() == 0 && (c == ACK || c == NAK)) {
                return String.valueOf((char) c);
            }
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
