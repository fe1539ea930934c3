package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Per-connection decoder: bytes in, frames ({@code byte[]}) out, one {@link FramingError} and then nothing once
 * the stream cannot be framed (the connection is being closed). Not sharable: it keeps the partial frame.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    private final String feed;
    private final FrameScanner scanner;
    private boolean failed;

    FrameDecoder(String feed, FrameScanner scanner) {
        this.feed = feed;
        this.scanner = scanner;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            byte[] frame = scanner.next(in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (FramingException e) {
            failed = true;
            out.add(new FramingError(e.reason(), e.getMessage(), e.sample()));
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            // Not acknowledged: a sender that waits for acknowledgements sends it again on its next connection.
            log.info("TCP feed {}: connection from {} closed inside a frame; {} bytes dropped", feed,
                    TcpFeed.host(ctx.channel()), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }

    /** The stream cannot be framed: quarantine {@code sample} with {@code reason}, then close. */
    record FramingError(String reason, String detail, byte[] sample) {
    }
}
