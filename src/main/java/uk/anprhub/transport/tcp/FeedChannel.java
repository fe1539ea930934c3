package uk.anprhub.transport.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestOutcome;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Flow control for one connection, between the {@link FrameDecoder} and camel-netty's consumer handler (the
 * route). All state is touched on the channel's event loop only.
 *
 * <ul>
 * <li><b>One frame in flight.</b> A frame is passed to the route, and the next only once the route is done with
 * it (its ack, if any, is written by then). While any frame is queued or in flight, the channel's
 * {@code autoRead} is off: Netty stops reading the socket, the kernel buffers fill, TCP's window closes and the
 * camera's own buffer holds the rest. What the hub holds per connection is bounded by one socket read plus one
 * partial frame. (camel-netty's default — the route on an ordered executor, {@code usingExecutorService=true} —
 * would otherwise keep reading and queue frames on that executor without bound.)</li>
 * <li><b>Done means done.</b> The route runs on camel-netty's per-channel ordered executor (or the event loop);
 * a task queued on that executor right after the frame runs only once the route has returned, and reads the
 * {@link IngestOutcome} {@link TcpReply} left on the channel ({@link TcpAcks} says what it means here).</li>
 * <li><b>Not settled</b> (store behind or down, 503): nothing is acknowledged; the same frame is offered again after
 * the delay the ingest core asked for, reading stays paused; everything resumes when the store is back.</li>
 * <li><b>Unframeable input</b> (too large, not the configured framing, a frame that never ends: {@code incomplete-frame}
 * on close or {@code frame-timeout}): its first bytes (an incomplete frame: all of them) are quarantined, a log line
 * (no payload content) is written and the connection is closed.</li>
 * <li><b>Sender gone:</b> frames already received are still handed to the route, at once (Netty tears the
 * pipeline down once the channel is unregistered, so they cannot wait); a frame the store refuses then is
 * dropped with a log line — unacknowledged, so a camera that waits for acks sends it again.</li>
 * </ul>
 */
final class FeedChannel extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FeedChannel.class);
    private static final long MAX_RETRY_MS = 5_000;

    private final TcpFeed feed;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The frame (or framing error) being processed; null when idle. */
    private Object current;
    private int attempts;
    private ScheduledFuture<?> retry;
    /** The executor camel-netty runs the route on for this channel. */
    private EventExecutor worker;
    private boolean closing;
    private boolean gone;

    FeedChannel(TcpFeed feed) {
        this.feed = feed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        worker = ctx.pipeline().lastContext().executor();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (gone) { // cannot wait any more (see the class comment)
            if (msg instanceof byte[] frame) {
                ctx.fireChannelRead(frame);
                afterRoute(ctx, frame);
            }
            return;
        }
        if (closing) {
            return;
        }
        queue.add(msg);
        ctx.channel().config().setAutoRead(false);
        next(ctx);
    }

    /** Starts the next queued item when nothing is in flight; resumes reading when nothing is left. */
    private void next(ChannelHandlerContext ctx) {
        if (current != null) {
            return;
        }
        Object item = queue.poll();
        if (item == null) {
            if (closing) {
                ctx.close();
            } else if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        current = item;
        attempts = 0;
        if (item instanceof FrameDecoder.FramingError error) {
            refuse(ctx, error);
        } else {
            send(ctx, (byte[]) item);
        }
    }

    private void send(ChannelHandlerContext ctx, byte[] frame) {
        attempts++;
        ctx.fireChannelRead(frame);
        afterRoute(ctx, frame);
    }

    /** Runs {@link #routed} with the route's outcome once the route has finished with the frame just passed on. */
    private void afterRoute(ChannelHandlerContext ctx, byte[] frame) {
        EventExecutor loop = ctx.executor();
        EventExecutor route = worker == null ? loop : worker;
        route.execute(() -> { // runs once the route is done with the frame: same executor, queued after it
            IngestOutcome outcome = ctx.channel().attr(TcpFeed.OUTCOME).getAndSet(null);
            if (route == loop) {
                routed(ctx, frame, outcome);
            } else {
                loop.execute(() -> routed(ctx, frame, outcome));
            }
        });
    }

    private void routed(ChannelHandlerContext ctx, byte[] frame, IngestOutcome outcome) {
        if (gone) {
            if (outcome == null || !TcpAcks.settled(outcome)) {
                log.warn("TCP feed {}: a frame from {} received before the connection closed could not be stored ({}); "
                                + "dropped unacknowledged", feed.id(), TcpFeed.host(ctx.channel()),
                        outcome == null ? "route failed" : TcpAcks.why(outcome));
            }
            return;
        }
        if (frame != current) {
            return;
        }
        if (outcome == null) {
            log.error("TCP feed {}: the route did not answer for a frame from {} (see the route error above; does it end "
                    + "with the anprTcpReply step?); closing the connection without acknowledgement", feed.id(),
                    TcpFeed.host(ctx.channel()));
            current = null;
            closing = true;
            queue.clear();
            ctx.close();
            return;
        }
        if (TcpAcks.settled(outcome)) {
            current = null;
            next(ctx);
            return;
        }
        long delay = Math.min(MAX_RETRY_MS, Math.max(200, TcpAcks.retryAfterSeconds(outcome) * 1000L));
        if (attempts == 1 || attempts % 10 == 0) {
            log.warn("TCP feed {}: the store did not take a frame from {} ({}, attempt {}); not acknowledged, "
                            + "reading paused, retrying in {} ms", feed.id(), TcpFeed.host(ctx.channel()), TcpAcks.why(outcome),
                    attempts, delay);
        }
        retry = ctx.executor().schedule(() -> {
            retry = null;
            if (!gone && current == frame) {
                send(ctx, frame);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void refuse(ChannelHandlerContext ctx, FrameDecoder.FramingError error) {
        String remote = TcpFeed.host(ctx.channel());
        Runnable quarantine = () -> {
            Long id = null;
            String failure;
            try {
                IngestOutcome r = feed.refuse(error, remote);
                id = r instanceof IngestOutcome.Quarantined q ? q.first().quarantineId() : null;
                failure = TcpAcks.why(r);
            } catch (RuntimeException e) {
                failure = e.toString();
            }
            Long quarantineId = id;
            String why = failure;
            ctx.executor().execute(() -> {
                if (quarantineId != null) {
                    log.warn("TCP feed {}: {} from {}: {}; quarantined (id {}, first {} bytes); connection closed",
                            feed.id(), error.reason(), remote, error.detail(), quarantineId, error.sample().length);
                } else {
                    log.warn("TCP feed {}: {} from {}: {}; could not be quarantined ({}); connection closed", feed.id(),
                            error.reason(), remote, error.detail(), why);
                }
                current = null;
                closing = true;
                queue.clear();
                ctx.close();
            });
        };
        (worker == null ? ctx.executor() : worker).execute(quarantine);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        gone = true;
        // Netty removes the handlers once the channel is unregistered, right after this event: whatever is still
        // here is handed to the route now (it queues on the route's executor ahead of the teardown).
        boolean waiting = retry != null;
        if (waiting) {
            retry.cancel(false);
            retry = null;
            if (current instanceof byte[] frame) { // its last chance
                ctx.fireChannelRead(frame);
                afterRoute(ctx, frame);
            }
        }
        current = null;
        for (Object item; (item = queue.poll()) != null; ) {
            if (item instanceof byte[] frame) {
                ctx.fireChannelRead(frame);
                afterRoute(ctx, frame);
            } else if (item instanceof FrameDecoder.FramingError error) {
                refuse(ctx, error);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (current == null && queue.isEmpty() && !closing) {
                log.info("TCP feed {}: connection from {} idle for {}; closed", feed.id(), TcpFeed.host(ctx.channel()),
                        feed.config().idleTimeout());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("TCP feed {}: connection from {}: {}", feed.id(), TcpFeed.host(ctx.channel()), cause.toString());
        } else {
            log.warn("TCP feed {}: connection from {} failed: {}", feed.id(), TcpFeed.host(ctx.channel()), cause.toString());
        }
        ctx.close();
    }
}
