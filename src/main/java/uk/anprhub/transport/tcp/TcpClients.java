package uk.anprhub.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import uk.anprhub.core.ExponentialBackoff;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Client-mode TCP feeds ({@code anpr.tcp.feeds.<feed>.connect: host:port}): some VMSs are the TCP server and the hub
 * must connect to them. Each connection gets the same pipeline as a listening feed's — idle timeout, the feed's
 * {@link FrameDecoder}, {@link FeedChannel} (one frame in flight, reading paused meanwhile) — and ends in
 * {@link TcpClientRoute}, which hands each frame to {@code direct:anpr-ingest} and writes the ack after commit
 * ({@link TcpReply}, as in server mode). A connection that fails or ends is retried after a pause that doubles up to
 * {@code reconnect-delay-max}; a connection that delivered a frame resets it. Connects only once the hub is ready
 * (store and routes up), disconnects first when it stops.
 */
public final class TcpClients {

    private static final Logger log = LoggerFactory.getLogger(TcpClients.class);

    private final Map<String, TcpFeed> feeds;
    private final CamelContext camel;
    private final TcpReply reply;
    private final int routeThreads;
    private final List<Client> clients = new ArrayList<>();
    private EventLoopGroup loop;
    private EventExecutorGroup routeGroup;
    private ProducerTemplate template;
    private volatile boolean stopping;

    TcpClients(Map<String, TcpFeed> feeds, CamelContext camel, TcpReply reply, int routeThreads) {
        this.feeds = feeds;
        this.camel = camel;
        this.reply = reply;
        this.routeThreads = routeThreads;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        List<TcpFeed> client = feeds.values().stream().filter(f -> f.config().client()).toList();
        if (client.isEmpty() || loop != null) {
            return;
        }
        loop = new NioEventLoopGroup(1, new DefaultThreadFactory("anpr-tcp-client", true));
        routeGroup = new DefaultEventExecutorGroup(Math.max(1, Math.min(routeThreads, client.size() * 2)),
                new DefaultThreadFactory("anpr-tcp-client-route", true));
        template = camel.createProducerTemplate();
        for (TcpFeed feed : client) {
            Client c = new Client(feed, address(feed.id(), feed.config().connect()));
            clients.add(c);
            c.connect();
        }
    }

    @EventListener(ContextClosedEvent.class)
    public synchronized void stop() {
        stopping = true;
        for (Client c : clients) {
            Channel ch = c.channel;
            if (ch != null) {
                ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            routeGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Connections open now, by feed (for tests and the log). */
    public int connected(String feed) {
        return (int) clients.stream().filter(c -> c.feed.id().equals(feed) && c.channel != null && c.channel.isActive()).count();
    }

    /** {@code host:port}, {@code [v6]:port}: checked at start-up, naming the key. */
    static InetSocketAddress address(String feed, String connect) {
        String s = connect.strip();
        int colon = s.lastIndexOf(':');
        String host = colon > 0 ? s.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (RuntimeException e) {
            port = -1;
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("anpr.tcp.feeds." + feed + ".connect must be host:port, not '" + connect + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The pause before attempt {@code failures + 1}: the delay doubled per failure, capped. */
    static Duration pause(Duration initial, Duration max, int failures) {
        return new ExponentialBackoff(initial, max.compareTo(initial) < 0 ? initial : max).delay(failures);
    }

    /** One feed's connection: connect, and reconnect with back-off whenever it fails or ends. */
    private final class Client {
        final TcpFeed feed;
        final InetSocketAddress target;
        final Bootstrap bootstrap;
        volatile Channel channel;
        int failures;

        Client(TcpFeed feed, InetSocketAddress target) {
            this.feed = feed;
            this.target = target;
            TcpProperties.Feed config = feed.config();
            this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.attr(TcpFeed.FEED).set(feed);
                            if (!config.idleTimeout().isZero()) {
                                ch.pipeline().addLast("idle", new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS));
                            }
                            ch.pipeline().addLast("framing", feed.newFrameDecoder());
                            ch.pipeline().addLast("flow", new FeedChannel(feed));
                            ch.pipeline().addLast(routeGroup, "route", new TcpClientRoute(feed, template, reply));
                        }
                    });
        }

        void connect() {
            if (stopping) {
                return;
            }
            // resolved per attempt: a VMS whose name moves to another address is found again
            ChannelFuture f = bootstrap.connect(new InetSocketAddress(target.getHostString(), target.getPort()));
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    retry("cannot connect: " + done.cause());
                    return;
                }
                Channel ch = f.channel();
                channel = ch;
                log.info("TCP feed {}: connected to {} (client mode)", feed.id(), where());
                TcpClientRoute route = (TcpClientRoute) ch.pipeline().get("route");
                ch.closeFuture().addListener(closed -> {
                    channel = null;
                    if (route.frames() > 0) {
                        failures = 0; // this connection worked: start again from the shortest pause
                    }
                    retry("connection closed after " + route.frames() + " frame(s)");
                });
            });
        }

        private void retry(String why) {
            if (stopping) {
                return;
            }
            failures++;
            Duration pause = pause(feed.config().reconnectDelay(), feed.config().reconnectDelayMax(), failures);
            if (failures == 1 || failures % 10 == 0) {
                log.warn("TCP feed {}: {} ({}); reconnecting in {} ms (attempt {})", feed.id(), where(), why,
                        pause.toMillis(), failures);
            } else {
                log.debug("TCP feed {}: {} ({}); reconnecting in {} ms (attempt {})", feed.id(), where(), why,
                        pause.toMillis(), failures);
            }
            try {
                loop.schedule(this::connect, pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }

        private String where() {
            return target.getHostString() + ":" + target.getPort();
        }
    }
}
