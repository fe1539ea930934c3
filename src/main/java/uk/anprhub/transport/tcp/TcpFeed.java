package uk.anprhub.transport.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.access.AddressAllowlist;
import uk.anprhub.ingest.IngestOutcome;
import uk.anprhub.ingest.IngestService;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.Reason;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * One TCP feed, built from {@code anpr.tcp.feeds.<id>} and registered as the bean {@code anprTcp.<id>}. Its route
 * passes it to camel-netty as {@code decoders=#anprTcp.<id>}: camel-netty asks a {@link ChannelHandlerFactory} for
 * a new handler per connection (a plain decoder instance would be shared by every connection, which is only safe
 * for {@code @Sharable} handlers; a framing decoder keeps per-connection state). The handler it returns installs,
 * for that connection: the allowlist and per-source / total connection limits, TLS when configured, an idle timeout, the {@link FrameDecoder} and the {@link FeedChannel}
 * (one frame in flight, reading paused meanwhile), in front of camel-netty's own consumer handler.
 */
@ChannelHandler.Sharable
public final class TcpFeed extends ChannelHandlerAdapter implements ChannelHandlerFactory {

    private static final Logger log = LoggerFactory.getLogger(TcpFeed.class);

    /** The feed a connection belongs to. */
    static final AttributeKey<TcpFeed> FEED = AttributeKey.valueOf("anprTcpFeed");
    /** What the route did with the frame in flight: set by {@link TcpReply}, read by {@link FeedChannel}. */
    static final AttributeKey<IngestOutcome> OUTCOME = AttributeKey.valueOf("anprTcpOutcome");

    private final String id;
    private final TcpProperties.Feed config;
    private final AddressAllowlist allowlist;
    private final AckTemplate ack;
    private final AckTemplate nack;
    private final int maxFrame;
    private final IngestService ingest;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    /** Open connections per remote address (entries removed at zero). */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> perSource = new java.util.concurrent.ConcurrentHashMap<>();
    /** Null when the feed speaks plain TCP. */
    private final SslContext tls;

    TcpFeed(String id, TcpProperties.Feed config, IngestService ingest, Clock clock) {
        this.id = id;
        this.config = config;
        this.allowlist = AddressAllowlist.of(config.allowlist());
        this.ack = AckTemplate.parse(config.ack());
        this.nack = config.nack() == null ? ack : AckTemplate.parse(config.nack());
        long max = config.maxFrame().toBytes();
        if (max < 1 || max > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("anpr.tcp.feeds." + id + ".max-frame must be between 1 byte and 2 GB");
        }
        this.maxFrame = (int) max;
        this.ingest = ingest;
        this.clock = clock;
        this.tls = config.tls().on() ? FeedTls.context(id, config.tls()) : null;
        newCutter(); // fails now, at start-up, on a bad framing configuration
    }

    public String id() {
        return id;
    }

    TcpProperties.Feed config() {
        return config;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new Installer();
    }

    /** A new connection's decoder: framing, limit and frame timeout of this feed. */
    FrameDecoder newFrameDecoder() {
        return new FrameDecoder(newCutter(), maxFrame, config.frameTimeout());
    }

    private FrameCutter newCutter() {
        return switch (config.framing()) {
            case LINE -> DelimitedFrames.lines(maxFrame);
            case STX_ETX -> DelimitedFrames.stxEtx(maxFrame);
            case DELIMITED -> new DelimitedFrames(hex("start", config.start()), hex("end", config.end()), false, maxFrame);
            case LENGTH_PREFIXED -> new LengthFieldFrames(config.lengthOffset(), config.lengthBytes(),
                    config.lengthOrder() == TcpProperties.ByteOrderName.LITTLE_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN,
                    config.lengthAdjustment(), config.strip(), maxFrame);
            case JSON -> new JsonStreamScanner(maxFrame);
            case XML -> new XmlStreamScanner(maxFrame);
        };
    }

    private byte[] hex(String name, String value) {
        if (value == null || value.isBlank()) {
            if (name.equals("end")) {
                throw new IllegalArgumentException("anpr.tcp.feeds." + id + ".end: delimited framing needs end bytes (hex)");
            }
            return null;
        }
        try {
            return HexFormat.of().parseHex(value.replace(" ", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("anpr.tcp.feeds." + id + "." + name + " is not hex: " + value);
        }
    }

    /** The reply for a settled frame, or null when the feed sends none. */
    byte[] reply(IngestOutcome result) {
        AckTemplate t = TcpAcks.acknowledged(result) ? ack : nack;
        return t == null ? null : t.render(result);
    }

    /** Quarantines what a connection sent that could not be framed (blocking: a database write). */
    IngestOutcome refuse(FrameDecoder.FramingError error, String remote) {
        RawMessage message = new RawMessage(error.sample(), id, null, "tcp", null, null, remote, null, null, clock.instant());
        return ingest.refuse(message, error.reason(), error.detail());
    }

    static String host(Channel ch) {
        SocketAddress a = ch.remoteAddress();
        return a instanceof InetSocketAddress i ? i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress()
                : String.valueOf(a);
    }

    /** Connections open now. */
    int connections() {
        return connections.get();
    }

    private boolean takeSourceSlot(String source) {
        boolean[] taken = {false};
        perSource.compute(source, (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= config.maxConnectionsPerSource()) {
                return n;
            }
            taken[0] = true;
            return open + 1;
        });
        return taken[0];
    }

    private void releaseSourceSlot(String source) {
        perSource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Installs this connection's handlers behind itself, then steps aside. */
    private final class Installer extends ChannelHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            ChannelPipeline p = ctx.pipeline();
            SocketAddress remote = ch.remoteAddress();
            if (!allowlist.isEmpty() && !(remote instanceof InetSocketAddress i && allowlist.allows(i.getAddress()))) {
                log.warn("TCP feed {}: connection from {} refused: not in the allowlist", id, host(ch));
                p.remove(this);
                ch.close();
                return;
            }
            String source = host(ch);
            if (!takeSourceSlot(source)) {
                log.warn("TCP feed {}: connection from {} refused: {} connections open from that address "
                        + "(max-connections-per-source)", id, source, config.maxConnectionsPerSource());
                p.remove(this);
                ch.close();
                return;
            }
            if (connections.incrementAndGet() > config.maxConnections()) {
                connections.decrementAndGet();
                releaseSourceSlot(source);
                log.warn("TCP feed {}: connection from {} refused: {} connections open (max-connections)", id, host(ch),
                        config.maxConnections());
                p.remove(this);
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> {
                connections.decrementAndGet();
                releaseSourceSlot(source);
            });
            ch.attr(FEED).set(TcpFeed.this);
            String name = ctx.name();
            String last = name;
            if (tls != null) { // first: everything behind it sees clear text; a plaintext client fails the handshake
                p.addAfter(last, name + "-tls", tls.newHandler(ch.alloc()));
                last = name + "-tls";
            }
            if (!config.idleTimeout().isZero()) {
                p.addAfter(last, name + "-idle", new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                last = name + "-idle";
            }
            p.addAfter(last, name + "-framing", newFrameDecoder());
            p.addAfter(name + "-framing", name + "-flow", new FeedChannel(TcpFeed.this));
            p.remove(this);
        }
    }
}
