package uk.anprhub.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A request body made of small text parts (the JSON or SOAP around the pictures, kept in memory) and pictures that
 * are base64-encoded from their files while the HTTP client sends: a batch's pictures are never in memory whole,
 * whatever their size. The exact length is known before sending (base64 of n bytes is 4·⌈n/3⌉), so the request
 * carries a {@code Content-Length} (no chunked encoding that a SOAP stack or proxy might refuse), and a picture that
 * vanished or shrank mid-send fails the request instead of sending a truncated body.
 */
final class StreamedBody implements AutoCloseable {

    /** Opens a picture for reading; called only when the sender reaches it. */
    interface Source {
        InputStream open() throws IOException;
    }

    private record Part(byte[] text, Source picture, long length) {
    }

    private final List<Part> parts;
    private final long length;
    private final List<InputStream> opened = new ArrayList<>();

    private StreamedBody(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.length = parts.stream().mapToLong(Part::length).sum();
    }

    static Builder builder() {
        return new Builder();
    }

    /** Bytes on the wire. */
    long length() {
        return length;
    }

    static long base64Length(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    /** A publisher of exactly {@link #length()} bytes, read part by part as the client asks for them. */
    HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(this::open), length);
    }

    /** The whole body as a stream (each call starts from the beginning). */
    synchronized InputStream open() {
        InputStream in = new PartsStream();
        opened.add(in);
        return in;
    }

    /** Closes whatever picture is still open (a send that timed out may leave its stream unread). */
    @Override
    public synchronized void close() {
        for (InputStream in : opened) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do: the stream is abandoned either way
            }
        }
        opened.clear();
    }

    /** Collects the text written to it and the pictures inserted between, in order. */
    static final class Builder extends OutputStream {

        private final List<Part> parts = new ArrayList<>();
        private ByteArrayOutputStream text = new ByteArrayOutputStream(1024);

        @Override
        public void write(int b) {
            text.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            text.write(b, off, len);
        }

        Builder text(String s) {
            write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return this;
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        /** The base64 of {@code size} bytes from {@code source}, after the text written so far. */
        Builder base64(Source source, long size) {
            cut();
            parts.add(new Part(null, source, base64Length(size)));
            return this;
        }

        StreamedBody build() {
            cut();
            return new StreamedBody(parts);
        }

        private void cut() {
            if (text.size() > 0) {
                parts.add(new Part(text.toByteArray(), null, text.size()));
                text = new ByteArrayOutputStream(1024);
            }
        }
    }

    /** The parts one after the other; a picture is opened when reached and closed when done. */
    private final class PartsStream extends InputStream {

        private int next;
        private InputStream current;
        private long left; // bytes the current part still owes: a picture that ends early is an error, not EOF

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (current == null && !advance()) {
                    return -1;
                }
                int n = current.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                    return n;
                }
                if (left > 0) {
                    throw new IOException("a picture ended " + left + " bytes early (changed while it was being sent)");
                }
                current.close();
                current = null;
            }
        }

        private boolean advance() throws IOException {
            while (next < parts.size()) {
                Part p = parts.get(next++);
                if (p.length() == 0) {
                    continue;
                }
                current = p.text() != null ? new java.io.ByteArrayInputStream(p.text()) : new Base64Stream(p.picture().open());
                left = p.length();
                return true;
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
            next = parts.size();
        }
    }

    /** Base64 of a stream, encoded in whole 3-byte groups so that the chunks join to the encoding of the whole. */
    static final class Base64Stream extends InputStream {

        private static final Base64.Encoder ENCODER = Base64.getEncoder();
        private final InputStream in;
        private final byte[] raw = new byte[3 * 4096];
        private final byte[] encoded = new byte[4 * 4096];
        private int pos;
        private int end;

        Base64Stream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return encoded[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == end && !fill()) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(encoded, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n = in.readNBytes(raw, 0, raw.length); // whole groups: only the last chunk may be short
            if (n == 0) {
                return false;
            }
            pos = 0;
            end = n == raw.length ? ENCODER.encode(raw, encoded) : ENCODER.encode(Arrays.copyOf(raw, n), encoded);
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
