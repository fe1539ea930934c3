package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import uk.anprhub.message.Reason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection decoder: bytes in, frames ({@code byte[]}) out, one {@link FramingError} and then nothing once
 * the stream cannot be framed (the connection is being closed). Not sharable: it keeps the partial frame.
 * <p>
 * A frame whose end never arrives is not dropped: when the connection closes inside a frame, or no byte of a begun
 * frame has arrived for {@code frameTimeout} while the hub was reading, its bytes become a {@link FramingError}
 * {@code incomplete-frame} (quarantined, then the connection is closed).
 */
final class FrameDecoder extends ByteToMessageDecoder {

    static final Reason INCOMPLETE = Reason.INCOMPLETE_FRAME;

    private final FrameScanner scanner;
    /** Zero: no timeout (only a close ends an incomplete frame). */
    private final long frameTimeoutMs;
    private boolean failed;
    private ScheduledFuture<?> timer;

    FrameDecoder(FrameScanner scanner) {
        this(scanner, Duration.ZERO);
    }

    FrameDecoder(FrameScanner scanner, Duration frameTimeout) {
        this.scanner = scanner;
        this.frameTimeoutMs = frameTimeout == null ? 0 : frameTimeout.toMillis();
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
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        arm(ctx); // every byte that arrives restarts the frame's clock
    }

    /** (Re)starts the frame timeout when a frame has begun and not ended; cancels it otherwise. */
    private void arm(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (frameTimeoutMs > 0 && !failed && ctx.channel().isActive() && scanner.begun(internalBuffer())) {
            timer = ctx.executor().schedule(() -> expire(ctx), frameTimeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (failed || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) { // the hub is not reading (a frame in flight): not the sender's delay
            arm(ctx);
            return;
        }
        ByteBuf in = internalBuffer();
        byte[] sample = scanner.pending(in);
        if (sample == null) {
            return;
        }
        failed = true;
        in.skipBytes(in.readableBytes());
        ctx.fireChannelRead(new FramingError(INCOMPLETE, "no end of frame within the frame-timeout of " + frameTimeoutMs
                + " ms (" + sample.length + " bytes received)", sample));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (!failed) {
            byte[] sample = scanner.pending(in);
            if (sample != null) {
                // Not acknowledged: a sender that waits for acknowledgements sends it again on its next connection.
                failed = true;
                out.add(new FramingError(INCOMPLETE, "connection closed inside a frame (" + sample.length
                        + " bytes received, no end of frame)", sample));
            }
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The stream cannot be framed: quarantine {@code sample} with {@code reason}, then close. */
    record FramingError(Reason reason, String detail, byte[] sample) {
    }
}
