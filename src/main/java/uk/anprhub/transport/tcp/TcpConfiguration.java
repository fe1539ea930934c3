package uk.anprhub.transport.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import uk.anprhub.ingest.IngestService;

import java.time.Clock;
import java.util.Map;

/**
 * TCP feeds: one bean {@code anprTcp.<feed>} ({@link TcpFeed}) per feed that is on in {@code anpr.tcp.feeds}, for
 * route files to reference, and the shared reply step {@code anprTcpReply}. No feed configured: no bean, no port.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TcpProperties.class)
public class TcpConfiguration {

    /** Bean name prefix of the per-feed handler factories: {@code decoders=#anprTcp.<feed>}. */
    public static final String BEAN_PREFIX = "anprTcp.";

    @Bean
    TcpReply anprTcpReply() {
        return new TcpReply();
    }

    /**
     * camel-netty runs each route on a shared executor group of {@code maximum-pool-size} threads (default 16), a
     * thread per connection at a time: a frame waiting for its commit holds one. Sized from
     * {@code anpr.tcp.route-threads} unless {@code camel.component.netty.maximum-pool-size} is set.
     */
    @Bean
    org.apache.camel.spi.ComponentCustomizer anprTcpNettyThreads(TcpProperties props, Environment env) {
        return org.apache.camel.spi.ComponentCustomizer.forType(org.apache.camel.component.netty.NettyComponent.class, c -> {
            if (!env.containsProperty("camel.component.netty.maximum-pool-size")) {
                c.setMaximumPoolSize(props.routeThreads());
            }
        });
    }

    @Bean
    TcpFeeds anprTcpFeeds(TcpProperties props, IngestService ingest, Clock clock) {
        return new TcpFeeds(props, ingest, clock);
    }

    /** Client-mode feeds (anpr.tcp.feeds.<feed>.connect): the hub connects to the VMS. */
    @Bean
    TcpClients anprTcpClients(org.springframework.beans.factory.ObjectProvider<TcpFeed> feeds,
                              org.apache.camel.CamelContext camel, TcpReply anprTcpReply, TcpProperties props) {
        Map<String, TcpFeed> byId = new java.util.LinkedHashMap<>();
        feeds.orderedStream().forEach(f -> byId.put(f.id(), f));
        return new TcpClients(byId, camel, anprTcpReply, props.routeThreads());
    }

    /** Registers a bean definition per configured feed, created by {@link TcpFeeds#feed(String)}. */
    @Bean
    static BeanDefinitionRegistryPostProcessor anprTcpFeedRegistrar() {
        return new Registrar();
    }

    /** Builds and checks each feed (a mistake in the config fails the start, naming the key). */
    public static final class TcpFeeds {
        private static final Logger log = LoggerFactory.getLogger(TcpFeeds.class);
        private final TcpProperties props;
        private final IngestService ingest;
        private final Clock clock;

        TcpFeeds(TcpProperties props, IngestService ingest, Clock clock) {
            this.props = props;
            this.ingest = ingest;
            this.clock = clock;
        }

        public TcpFeed feed(String id) {
            TcpProperties.Feed config = props.feeds().get(id);
            if (config == null || !config.on()) {
                throw new IllegalStateException("anpr.tcp.feeds." + id + " is not on");
            }
            if (ingest.feed(id) == null) {
                throw new IllegalStateException("TCP feed '" + id + "': the ingest core has no feed or connector '" + id
                        + "' (set anpr.feeds." + id + ".connector)");
            }
            if (!ingest.feed(id).enabled()) {
                throw new IllegalStateException("TCP feed '" + id + "' is on but anpr.feeds." + id + ".enabled is false");
            }
            if (config.client()) {
                if (config.port() != null) {
                    throw new IllegalStateException("TCP feed '" + id + "': set either anpr.tcp.feeds." + id
                            + ".port (the hub listens) or .connect (the hub connects to the VMS), not both");
                }
                if (config.tls().on()) {
                    throw new IllegalStateException("TCP feed '" + id + "': tls is for listening feeds; client mode "
                            + "(connect) speaks plain TCP");
                }
                TcpClients.address(id, config.connect()); // fails now, naming the key
            }
            TcpFeed feed = new TcpFeed(id, config, ingest, clock);
            log.info("TCP feed {}: {}, framing {}, max frame {}, idle timeout {}, ack {}, allowlist {}, max connections {} "
                            + "({} per source), TLS {}", id, config.client() ? "connects to " + config.connect() + " (client mode)"
                            : "port " + config.port(), config.framing(), config.maxFrame(), config.idleTimeout(),
                    config.ack() == null ? "none" : "on", config.allowlist().isEmpty() ? "none" : config.allowlist(),
                    config.maxConnections(), config.maxConnectionsPerSource(),
                    config.tls().on() ? "on (client certificate " + config.tls().clientAuth().name().toLowerCase(java.util.Locale.ROOT) + ")" : "off");
            return feed;
        }
    }

    static final class Registrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {
        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            Map<String, TcpProperties.Feed> feeds = Binder.get(environment).bind("anpr.tcp", TcpProperties.class)
                    .map(TcpProperties::feeds).orElse(Map.of());
            feeds.forEach((id, config) -> {
                if (config.on()) {
                    GenericBeanDefinition def = new GenericBeanDefinition();
                    def.setBeanClass(TcpFeed.class);
                    def.setFactoryBeanName("anprTcpFeeds");
                    def.setFactoryMethodName("feed");
                    def.getConstructorArgumentValues().addGenericArgumentValue(id);
                    registry.registerBeanDefinition(BEAN_PREFIX + id, def);
                }
            });
        }
    }
}
