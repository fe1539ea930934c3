package uk.anprhub.ingest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import uk.anprhub.core.StartupProblem;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The camera-facing HTTP/1.1 server ({@code anpr.http.camera-listener.*}): Netty's codec on a port of its own, one
 * {@link CameraConnection} per connection. It starts with the other servers, before the hub is ready (until then
 * every request gets 503 + Retry-After, as on the ops port), and stops first on shutdown.
 */
public final class CameraListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CameraListener.class);
    /** Netty's defaults but for the head: a camera's request line and headers are small. */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_CHUNK = 64 * 1024;

    private final CameraListenerProperties settings;
    private final CameraDoor door;
    private final ExecutorService workers;
    private final HttpRefusals refusals;
    private final AtomicInteger open = new AtomicInteger();
    private EventLoopGroup boss;
    private EventLoopGroup loops;
    private Channel server;

    /** @param workers the pool in {@code door}, shut down with the listener */
    public CameraListener(CameraListenerProperties settings, CameraDoor door, ExecutorService workers, HttpRefusals refusals) {
        this.settings = settings;
        this.door = door;
        this.workers = workers;
        this.refusals = refusals;
    }

    @Override
    public synchronized void start() {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("camera-accept", true));
        loops = new NioEventLoopGroup(0, new DefaultThreadFactory("camera-io", true)); // Netty's default: 2 per core
        InetSocketAddress at = settings.address() == null || settings.address().isBlank()
                ? new InetSocketAddress(settings.port()) : new InetSocketAddress(settings.address(), settings.port());
        try {
            server = new ServerBootstrap().group(boss, loops).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (open.incrementAndGet() > settings.maxConnections()) {
                                open.decrementAndGet();
                                refusals.count("connections");
                                ch.close(); // before a byte is read: an idle flood costs a socket for a moment only
                                return;
                            }
                            ch.closeFuture().addListener(closed -> open.decrementAndGet());
                            ch.pipeline().addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_CHUNK),
                                    new CameraConnection(door));
                        }
                    }).bind(at).syncUninterruptibly().channel();
        } catch (Exception e) {
            stop();
            throw new StartupProblem("the camera listener cannot listen on " + at + ": " + e.getMessage(),
                    "anpr.http.camera-listener.port/address", "choose a free port and an address of this machine");
        }
        log.info("Camera listener: POST /ingest/<feed> on {} ({} workers, at most {} connections, {}); {}", server.localAddress(),
                settings.workers(), settings.maxConnections(),
                settings.viaCamel() ? "through the Camel route anpr-ingest" : "direct to the ingest core",
                settings.alsoOnOpsPort() ? "the ops port still serves /ingest too (also-on-ops-port)" : "the ops port no longer serves /ingest");
    }

    /** The port bound (useful with port 0 in tests). */
    public synchronized int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
            server = null;
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            boss = null;
            loops = null;
        }
        workers.shutdown();
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }
}
