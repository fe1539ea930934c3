package uk.anprhub.transport.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.ingest.IngestOutcome;

/**
 * The last step of a TCP feed's route ({@code process: ref: anprTcpReply}): turns the {@link IngestOutcome} of
 * {@code direct:anpr-ingest} into the bytes camel-netty writes back — the feed's ack when the frame is settled
 * (committed or quarantined), nothing otherwise — and tells the connection's {@link FeedChannel} the outcome
 * (next frame, or retry while the store is behind). The body is always a buffer (possibly empty), so camel-netty
 * never closes the connection for want of a reply.
 */
public final class TcpReply implements Processor {

    private static final Logger log = LoggerFactory.getLogger(TcpReply.class);

    @Override
    public void process(Exchange exchange) {
        ChannelHandlerContext ctx = exchange.getIn().getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        IngestOutcome result = exchange.getMessage().getBody(IngestOutcome.class);
        if (ctx == null || result == null) {
            throw new IllegalStateException("anprTcpReply belongs at the end of a netty:tcp route, after direct:anpr-ingest");
        }
        Channel ch = ctx.channel();
        TcpFeed feed = ch.attr(TcpFeed.FEED).get();
        if (feed == null) {
            throw new IllegalStateException("the route's netty endpoint lacks decoders=#anprTcp.<feed>");
        }
        if (result instanceof IngestOutcome.Refused r && r.why() == IngestOutcome.Refusal.UNKNOWN_FEED) {
            log.error("TCP feed {}: the ingest core knows no feed '{}' (AnprFeed header); set the route's AnprFeed to "
                    + "the feed id", feed.id(), exchange.getMessage().getHeader("AnprFeed"));
        }
        ch.attr(TcpFeed.OUTCOME).set(result);
        byte[] reply = TcpAcks.settled(result) && ch.isActive() ? feed.reply(result) : null;
        exchange.getMessage().setBody(reply == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply));
    }
}
