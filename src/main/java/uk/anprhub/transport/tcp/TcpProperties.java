package uk.anprhub.transport.tcp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * TCP camera feeds ({@code anpr.tcp.feeds.<feed>.*}). A feed is on when it has a {@code port} or, in client mode,
 * a {@code connect} address (and {@code enabled} is not false). A client-mode feed needs no route file
 * ({@link TcpClients}); a listening feed's route file ({@code routes/tcp-*.camel.yaml}) declares the Netty server and
 * references the per-connection handlers built from this config as {@code decoders=#anprTcp.<feed>}. The key is
 * also the ingest feed id the route sets as {@code AnprFeed} (its connector: {@code anpr.feeds.<feed>.connector},
 * or the connector of the same id). See docs/transports.md, section TCP.
 *
 * @param feeds        by feed id: listening {@code port} and {@code host} or client-mode {@code connect}, framing,
 *                     ack, allowlist, TLS, timeouts; see {@link Feed} and docs/transports.md (TCP)
 * @param routeThreads threads camel-netty runs TCP routes on (its shared consumer executor group), i.e. how many
 *                     frames — one per connection at most — can wait for their commit at once; more frames in
 *                     flight make bigger group commits. Sets {@code camel.component.netty.maximum-pool-size}
 *                     unless that is set itself
 */
@ConfigurationProperties("anpr.tcp")
public record TcpProperties(Map<String, Feed> feeds, @DefaultValue("64") int routeThreads) {

    public TcpProperties {
        feeds = feeds == null ? Map.of() : Map.copyOf(feeds);
    }

    /** How frames are cut out of the byte stream. */
    public enum Framing {
        /** one frame per line: LF-terminated, a trailing CR dropped, empty lines skipped */
        LINE,
        /** STX (0x02) … ETX (0x03); bytes between frames skipped */
        STX_ETX,
        /** {@code start} (optional) … {@code end}, both hex byte strings */
        DELIMITED,
        /** a length field (1, 2, 4 or 8 bytes) at {@code length-offset}, then the rest of the frame */
        LENGTH_PREFIXED,
        /** concatenated JSON objects or arrays, no delimiter: boundaries found by bracket depth outside strings */
        JSON,
        /** concatenated XML documents, no delimiter: boundaries found when the root element closes */
        XML
    }

    public enum ByteOrderName { BIG_ENDIAN, LITTLE_ENDIAN }

    /**
     * One TCP feed.
     *
     * @param enabled          false switches a configured feed off (its route is left out)
     * @param port             listening port (the route reads it); no port = feed off
     * @param host             listening address (the route reads it)
     * @param framing          frame boundaries, see {@link Framing}
     * @param start            DELIMITED: start bytes in hex (e.g. {@code 02}); empty = none
     * @param end              DELIMITED: end bytes in hex (e.g. {@code 03}, {@code 0d0a})
     * @param lengthBytes      LENGTH_PREFIXED: size of the length field, 1, 2, 4 or 8
     * @param lengthOrder      LENGTH_PREFIXED: byte order of the length field
     * @param lengthOffset     LENGTH_PREFIXED: bytes before the length field (e.g. a magic number)
     * @param lengthAdjustment LENGTH_PREFIXED: added to the field's value to get the bytes that follow the field
     *                         (e.g. -6 when the value counts the whole frame and the header is 6 bytes)
     * @param strip            LENGTH_PREFIXED: bytes dropped from the frame's start before ingest; default: the
     *                         header (offset + field)
     * @param maxFrame         a larger frame closes the connection and is quarantined as {@code too-large}
     *                         (its first bytes as payload)
     * @param frameTimeout     a frame begun and not ended (no end delimiter, e.g. no ETX) after this long without a
     *                         byte while the hub was reading is quarantined {@code incomplete-frame} with the bytes
     *                         received, and the connection closed (0 = only a closed connection ends it, as it
     *                         always does: a connection closed inside a frame is quarantined the same way)
     * @param idleTimeout      a connection that sent nothing for this long is closed (0 = never); short by default
     *                         so that a silent host cannot hold connection slots (a camera reconnects to send)
     * @param ack              reply sent per frame once it is settled (committed or quarantined); none when unset.
     *                         Escapes {@code \r \n \t \0 \\ \xHH}; placeholders {@code {status} {received}
     *                         {stored} {duplicates} {quarantined} {reason}}
     * @param nack             reply for a frame that was quarantined whole (4xx); default: {@code ack}
     * @param allowlist        remote addresses or CIDR blocks allowed to connect; empty = anyone
     * @param maxConnections   open connections allowed at once; more are refused (each may hold up to
     *                         {@code maxFrame} bytes of a partial frame)
     * @param maxConnectionsPerSource open connections allowed at once from one remote address; more are refused,
     *                         so one host cannot take all of {@code maxConnections}
     * @param tls              TLS on this feed's port (off unless a keystore is set; server mode only)
     * @param connect          client mode: {@code host:port} of a VMS that is the TCP server; the hub connects to it
     *                         (instead of listening on {@code port}) and reconnects when the connection ends
     * @param reconnectDelay   client mode: pause before the first reconnection; doubled after each failed attempt
     *                         or connection that ended without delivering a frame
     * @param reconnectDelayMax client mode: the longest pause between attempts
     * @param connectTimeout   client mode: how long one connection attempt may take
     */
    public record Feed(
            @DefaultValue("true") boolean enabled,
            Integer port,
            @DefaultValue("0.0.0.0") String host,
            @DefaultValue("line") Framing framing,
            String start,
            String end,
            @DefaultValue("4") int lengthBytes,
            @DefaultValue("big-endian") ByteOrderName lengthOrder,
            @DefaultValue("0") int lengthOffset,
            @DefaultValue("0") int lengthAdjustment,
            Integer strip,
            @DefaultValue("1MB") DataSize maxFrame,
            @DefaultValue("30s") Duration frameTimeout,
            @DefaultValue("2m") Duration idleTimeout,
            String ack,
            String nack,
            List<String> allowlist,
            @DefaultValue("1000") int maxConnections,
            @DefaultValue("16") int maxConnectionsPerSource,
            @DefaultValue Tls tls,
            String connect,
            @DefaultValue("1s") Duration reconnectDelay,
            @DefaultValue("1m") Duration reconnectDelayMax,
            @DefaultValue("10s") Duration connectTimeout) {

        public Feed {
            allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        }

        /** On when it has a port (server mode) or an address to connect to (client mode) and is not switched off. */
        public boolean on() {
            return enabled && (port != null || client());
        }

        /** Client mode: the hub connects to the VMS ({@code connect}) instead of listening. */
        public boolean client() {
            return connect != null && !connect.isBlank();
        }
    }

    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    /**
     * TLS for a TCP feed: the feed's port speaks TLS only (a plaintext client fails the handshake and is closed).
     *
     * @param keystore           the server's key and certificate (PKCS12 or JKS); TLS is on when this is set
     * @param keystorePassword   its password
     * @param keystoreType       {@code PKCS12} or {@code JKS}
     * @param keyPassword        the key's password; default: the keystore's
     * @param truststore         CA certificates client certificates are checked against (client authentication)
     * @param truststorePassword its password
     * @param truststoreType     {@code PKCS12} or {@code JKS}
     * @param clientAuth         {@code none}, {@code optional} or {@code require} a client certificate (needs a truststore)
     * @param protocols          TLS versions offered
     */
    public record Tls(java.nio.file.Path keystore, String keystorePassword, @DefaultValue("PKCS12") String keystoreType,
                      String keyPassword, java.nio.file.Path truststore, String truststorePassword,
                      @DefaultValue("PKCS12") String truststoreType, @DefaultValue("none") ClientAuth clientAuth,
                      @DefaultValue({"TLSv1.3", "TLSv1.2"}) List<String> protocols) {

        public boolean on() {
            return keystore != null;
        }
    }
}
