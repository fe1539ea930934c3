package uk.anprhub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestOutcome.Refusal;
import uk.anprhub.ingest.IngestOutcome.Refused;
import uk.anprhub.ingest.IngestOutcome.Unavailable;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One camera connection of the listener, on its event loop: the steps of Tomcat's front door
 * ({@link IngestRequestFilter}) for each request, in the same order and with the same answers — readiness, the feed
 * gate from the headers (a refused sender's body is never read: answer and close), the admission ticket, a body slot,
 * the body whole within {@code anpr.http.body-timeout} (else 408 and close) — then the whole request goes to the
 * worker pool, which waits for the commit; its answer is written back here. While a request is with the pool the
 * connection stops reading, and pipelined requests already decoded wait in order, so one connection has at most one
 * request in flight and its answers keep their order.
 */
final class CameraConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(CameraConnection.class);

    private enum State { IDLE, READING, DRAINING, BUSY, DONE }

    private final CameraDoor door;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private State state = State.IDLE;
    private ScheduledFuture<?> timer;
    // the request being read
    private HttpRequest request;
    private String feed;
    private long declared;
    private boolean keepAlive;
    private HttpAdmission.Ticket ticket;
    private boolean bodySlot;
    private byte[] body;
    private int at;
    private ByteArrayOutputStream chunked;

    CameraConnection(CameraDoor door) {
        this.door = door;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitRequest(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.BUSY) {
            held.add(msg); // pipelined: decoded from bytes already read; taken once the answer is out
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest r) {
                start(ctx, r);
            }
            if (msg instanceof HttpContent c) {
                content(ctx, c);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest r) {
        if (state != State.IDLE) {
            return; // the rest of a connection that is being closed
        }
        cancelTimer();
        request = r;
        keepAlive = HttpUtil.isKeepAlive(r);
        if (r.decoderResult().isFailure()) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST.code(), null, json("{\"error\":\"bad-request\",\"detail\":\"not a valid HTTP request\"}"), true);
            return;
        }
        String path = new QueryStringDecoder(r.uri()).path();
        feed = path.startsWith(FeedPaths.INGEST) ? FeedPaths.feedOf(path) : null;
        if (feed == null) {
            refuse(ctx, new Refused(Refusal.UNKNOWN_FEED, "no enabled HTTP feed at " + FeedPaths.INGEST + "<feed>"));
            return;
        }
        if (!HttpMethod.POST.equals(r.method())) {
            FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED.code(), null,
                    json("{\"error\":\"method-not-allowed\",\"detail\":\"cameras POST to /ingest/<feed>\"}"), true);
            response.headers().set(HttpHeaderNames.ALLOW, "POST");
            send(ctx, response, true);
            return;
        }
        if (!door.readiness().ready()) {
            refuse(ctx, new Unavailable("starting", "the hub is starting (or stopping) and cannot take reads yet; retry shortly", 5));
            return;
        }
        Refused denied = door.gate().check(feed, remote(ctx), r.headers().get("X-Api-Key"));
        if (denied != null) {
            refuse(ctx, denied);
            return;
        }
        declared = HttpUtil.isTransferEncodingChunked(r) ? -1 : HttpUtil.getContentLength(r, -1L);
        boolean tooLarge = declared > door.maxBody(); // refused unread (413 by HttpFeed), then the connection closed
        ticket = door.admission().admit(tooLarge ? 0 : Math.max(0, declared));
        if (ticket == null) { // a known camera: its body is read and dropped so it reads the 503 (see IngestRequestFilter)
            state = State.DRAINING;
            continueIfExpected(ctx, r);
            timer = ctx.executor().schedule(() -> drainTooSlow(ctx), door.bodyTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        if (tooLarge) {
            keepAlive = false;
            body = new byte[0];
            dispatch(ctx);
            return;
        }
        if (!door.bodies().tryAcquire()) {
            releaseTicket();
            refuse(ctx, new Unavailable("busy", "too many camera requests are sending their bodies; retry shortly", 1));
            return;
        }
        bodySlot = true;
        state = State.READING;
        at = 0;
        if (declared >= 0) {
            body = new byte[(int) declared];
        } else {
            body = null;
            chunked = new ByteArrayOutputStream();
        }
        continueIfExpected(ctx, r);
        timer = ctx.executor().schedule(() -> bodyTooSlow(ctx), door.bodyTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void content(ChannelHandlerContext ctx, HttpContent c) {
        if (state == State.DRAINING) {
            if (c instanceof LastHttpContent) {
                cancelTimer();
                state = State.IDLE; // answered with the connection kept, as Tomcat after a drain
                writeRefusal(ctx, overBudget(), !keepAlive);
            }
            return;
        }
        if (state != State.READING) {
            return;
        }
        ByteBuf bytes = c.content();
        int n = bytes.readableBytes();
        if (body != null) {
            int take = Math.min(n, body.length - at); // the decoder keeps to Content-Length; a guard all the same
            bytes.readBytes(body, at, take);
            at += take;
        } else {
            long limit = door.maxBody() + 1; // one byte over the limit is enough for HttpFeed to answer 413
            int take = (int) Math.min(n, limit - chunked.size());
            if (!ticket.grow(chunked.size() + (long) take)) {
                releaseBodySlot();
                releaseTicket();
                refuse(ctx, overBudget());
                return;
            }
            byte[] part = new byte[take];
            bytes.readBytes(part);
            chunked.write(part, 0, take);
            if (chunked.size() >= limit) { // over the limit: 413, the rest left unread
                keepAlive = false;
                finishBody(ctx);
                return;
            }
        }
        if (c instanceof LastHttpContent) {
            finishBody(ctx);
        }
    }

    private void finishBody(ChannelHandlerContext ctx) {
        cancelTimer();
        releaseBodySlot();
        if (body == null) {
            body = chunked.toByteArray();
            chunked = null;
        } else if (at < body.length) {
            body = java.util.Arrays.copyOf(body, at); // cannot happen with Netty's decoder; never hand on zeros
        }
        dispatch(ctx);
    }

    /** The body is whole: the request's clock starts, and a worker takes it (the store wait is no event loop's). */
    private void dispatch(ChannelHandlerContext ctx) {
        state = State.BUSY;
        ctx.channel().config().setAutoRead(false);
        ticket.startClock();
        HttpAdmission.Ticket t = ticket;
        String f = feed;
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.putIfAbsent(h.getKey(), h.getValue()); // the first value of each, as a servlet's getHeader
        }
        String remote = remote(ctx);
        byte[] b = body;
        long d = declared;
        boolean close = !keepAlive;
        body = null;
        try {
            door.workers().execute(() -> {
                int status;
                Integer retryAfter = null;
                byte[] json;
                try {
                    HttpFeed.Request prepared = door.feed().request(f, contentType, headers, remote, b, d);
                    HttpAnswer answer = HttpAnswer.of(door.ingest().ingest(prepared, t));
                    status = answer.status();
                    retryAfter = answer.retryAfterSeconds();
                    json = door.feed().body(answer);
                } catch (Exception | Error e) {
                    log.error("HTTP ingest failed: {}: {}", e.getClass().getSimpleName(), e.getMessage());
                    status = 500;
                    json = internalError();
                }
                int s = status;
                Integer r = retryAfter;
                byte[] j = json;
                ctx.executor().execute(() -> answerAndRelease(ctx, s, r, j, close || s == 413));
            });
        } catch (RejectedExecutionException e) { // every worker busy and the queue full: push back at once
            HttpAnswer answer = HttpAnswer.of(new Unavailable("busy",
                    "too many camera requests are waiting for the store; retry shortly", 1));
            door.refusals().count(answer.error());
            answerAndRelease(ctx, answer.status(), answer.retryAfterSeconds(), body(answer), close);
        }
    }

    private byte[] internalError() {
        try {
            return door.feed().internalErrorBody();
        } catch (Exception e) {
            return json("{\"error\":\"internal\"}");
        }
    }

    private void answerAndRelease(ChannelHandlerContext ctx, int status, Integer retryAfter, byte[] json, boolean close) {
        HttpAdmission.Ticket t = ticket;
        ticket = null;
        FullHttpResponse response = response(status, retryAfter, json, close);
        ctx.writeAndFlush(response).addListener(f -> {
            if (t != null) {
                t.release(); // the budget is given back once the answer is out, as with Tomcat
            }
            if (close) {
                ctx.close();
            }
        });
        if (close) {
            state = State.DONE;
            return;
        }
        state = State.IDLE;
        awaitRequest(ctx);
        while (!held.isEmpty() && state != State.BUSY && state != State.DONE) {
            handle(ctx, held.poll());
        }
        if (state != State.BUSY && state != State.DONE) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** A refused sender: answered from its headers, the body unread, the connection closed. */
    private void refuse(ChannelHandlerContext ctx, IngestOutcome result) {
        writeRefusal(ctx, result, true);
    }

    private void writeRefusal(ChannelHandlerContext ctx, IngestOutcome result, boolean close) {
        HttpAnswer answer = HttpAnswer.of(result);
        door.refusals().count(answer.error());
        answer(ctx, answer.status(), answer.retryAfterSeconds(), body(answer), close);
    }

    private void answer(ChannelHandlerContext ctx, int status, Integer retryAfter, byte[] json, boolean close) {
        send(ctx, response(status, retryAfter, json, close), close);
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
        if (close) {
            state = State.DONE;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
            awaitRequest(ctx);
        }
    }

    private FullHttpResponse response(int status, Integer retryAfter, byte[] json, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        if (retryAfter != null) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    private byte[] body(HttpAnswer answer) {
        try {
            return door.feed().body(answer);
        } catch (Exception e) {
            return internalError();
        }
    }

    private static Unavailable overBudget() {
        return new Unavailable("over-budget", "the hub holds as many camera requests as it may; retry shortly (nothing was stored)", 2);
    }

    private void bodyTooSlow(ChannelHandlerContext ctx) {
        if (state == State.READING) {
            releaseBodySlot();
            releaseTicket();
            refuse(ctx, new Refused(Refusal.BODY_TIMEOUT, "the body did not arrive whole within " + door.bodyTimeout().toSeconds() + " s"));
        }
    }

    private void drainTooSlow(ChannelHandlerContext ctx) {
        if (state == State.DRAINING) {
            refuse(ctx, overBudget());
        }
    }

    /** Between requests: the next request head must come within the idle time (also bounds a trickled head). */
    private void awaitRequest(ChannelHandlerContext ctx) {
        cancelTimer();
        timer = ctx.executor().schedule(() -> {
            if (state == State.IDLE) {
                state = State.DONE;
                ctx.close();
            }
        }, door.idleWithin().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void continueIfExpected(ChannelHandlerContext ctx, HttpRequest r) {
        if (HttpUtil.is100ContinueExpected(r)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        releaseBodySlot();
        if (state != State.BUSY) { // a request with the pool gives its ticket back when its answer is written
            releaseTicket();
        }
        state = State.DONE;
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Camera connection closed: {}", cause.toString());
        ctx.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void releaseBodySlot() {
        if (bodySlot) {
            bodySlot = false;
            door.bodies().release();
        }
    }

    private void releaseTicket() {
        if (ticket != null) {
            ticket.release();
            ticket = null;
        }
    }

    private static String remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
    }

    private static byte[] json(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
