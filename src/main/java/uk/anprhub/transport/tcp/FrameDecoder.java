package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import uk.anprhub.message.Reason;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection decoder: bytes in, frames ({@code byte[]}) out, cut by the feed's {@link FrameCutter}; one
 * {@link FramingError} and then nothing once the stream cannot be framed (the connection is being closed). Not
 * sharable: it keeps the partial frame.
 * <p>
 * The adapter between Netty's frame decoders and the quarantine: a {@link TooLongFrameException} becomes
 * {@code too-large} and a {@link CorruptedFrameException} {@code undecodable}, each with the first
 * {@link #SAMPLE_BYTES} bytes of the offending frame as the sample (Netty's decoders discard them; they are still in
 * the buffer here). And what Netty's decoders do not do: a frame whose end never arrives is not dropped — when the
 * connection closes inside a frame, or no byte of a begun frame has arrived for {@code frameTimeout} while the hub
 * was reading, its bytes become {@code incomplete-frame} (quarantined, then the connection is closed).
 */
final class FrameDecoder extends ByteToMessageDecoder {

    /** How many leading bytes of an offending frame are kept as the quarantine payload. */
    static final int SAMPLE_BYTES = 4096;
    static final Reason INCOMPLETE = Reason.INCOMPLETE_FRAME;

    private final FrameCutter cutter;
    private final int maxFrame;
    /** Zero: no timeout (only a close ends an incomplete frame). */
    private final long frameTimeoutMs;
    private boolean failed;
    private ScheduledFuture<?> timer;

    FrameDecoder(FrameCutter cutter, int maxFrame, Duration frameTimeout) {
        this.cutter = cutter;
        this.maxFrame = maxFrame;
        this.frameTimeoutMs = frameTimeout == null ? 0 : frameTimeout.toMillis();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int from = in.readerIndex(); // the offending frame starts here: cutters return after skipping what precedes it
        try {
            byte[] frame = cutter.cut(ctx, in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (TooLongFrameException e) {
            String why = "frame exceeds the limit of " + maxFrame + " bytes";
            fail(in, from, out, Reason.TOO_LARGE, e.getMessage() == null ? why : why + " (" + e.getMessage() + ")");
        } catch (CorruptedFrameException e) {
            fail(in, from, out, Reason.UNDECODABLE, e.getMessage());
        }
    }

    private void fail(ByteBuf in, int from, List<Object> out, Reason reason, String detail) {
        failed = true;
        int n = Math.max(0, Math.min(SAMPLE_BYTES, in.writerIndex() - from));
        out.add(new FramingError(reason, detail, ByteBufUtil.getBytes(in, from, n)));
        in.readerIndex(in.writerIndex());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        arm(ctx); // every byte that arrives restarts the frame's clock
    }

    /** (Re)starts the frame timeout when a frame has begun and not ended; cancels it otherwise. */
    private void arm(ChannelHandlerContext ctx) {
        cancelTimer();
        if (frameTimeoutMs > 0 && !failed && ctx.channel().isActive() && cutter.begun(internalBuffer())) {
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
        byte[] sample = cutter.pending(in);
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
        cancelTimer();
        if (!failed) {
            byte[] sample = cutter.pending(in);
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
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The stream cannot be framed: quarantine {@code sample} with {@code reason}, then close. */
    record FramingError(Reason reason, String detail, byte[] sample) {
    }
}
