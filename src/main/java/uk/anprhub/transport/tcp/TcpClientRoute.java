package uk.anprhub.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestRoutes;

/**
 * The end of a client-mode connection's pipeline: what a listening feed's route does, for one frame at a time — the
 * frame with its feed, transport and sender into {@code direct:anpr-ingest}, then {@link TcpReply} (the ack once
 * committed or quarantined, the outcome for {@link FeedChannel}). Runs on its own executor, so the store's commit
 * never blocks the event loop; {@link FeedChannel} waits for it as it waits for camel-netty's route.
 */
final class TcpClientRoute extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TcpClientRoute.class);

    private final TcpFeed feed;
    private final ProducerTemplate template;
    private final TcpReply reply;
    private volatile long frames;

    TcpClientRoute(TcpFeed feed, ProducerTemplate template, TcpReply reply) {
        this.feed = feed;
        this.template = template;
        this.reply = reply;
    }

    /** Frames handed to the ingest core on this connection. */
    long frames() {
        return frames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[] frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        frames++;
        Exchange exchange = new DefaultExchange(template.getCamelContext());
        exchange.getIn().setBody(frame);
        exchange.getIn().setHeader(IngestRoutes.FEED, feed.id());
        exchange.getIn().setHeader(IngestRoutes.TRANSPORT, "tcp");
        exchange.getIn().setHeader("AnprRemoteAddr", TcpFeed.host(ctx.channel()));
        exchange.getIn().setHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ctx);
        try {
            template.send("direct:anpr-ingest", exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            reply.process(exchange);
        } catch (Exception e) { // no outcome on the channel: FeedChannel closes it without acknowledgement
            log.error("TCP feed {}: a frame from {} failed in the ingest core: {}", feed.id(), TcpFeed.host(ctx.channel()),
                    e.toString());
            return;
        }
        ByteBuf answer = exchange.getMessage().getBody(ByteBuf.class);
        if (answer != null && answer.isReadable() && ctx.channel().isActive()) {
            ctx.writeAndFlush(answer);
        }
    }
}
