package uk.anprhub.core;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every {@code anpr.*} setting, with its default. Environment variables of the contract map onto these in
 * application.yaml (ANPR_DATA_DIR, ANPR_CONFIG, ...). README lists them.
 */
@ConfigurationProperties("anpr")
public record HubProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Retention retention,
        @DefaultValue Store store,
        @DefaultValue Validation validation,
        @DefaultValue Cameras cameras,
        @DefaultValue Catalog catalog,
        @DefaultValue Http http,
        Map<String, Feed> feeds,
        List<User> users) {

    public HubProperties {
        feeds = feeds == null ? Map.of() : feeds;
        users = users == null ? List.of() : users;
    }

    /** @param days reads, raw messages, images and quarantine rows are deleted once older than this */
    public record Retention(@DefaultValue("7") int days, @DefaultValue("3") int partitionsAhead) {
    }

    /**
     * Group commit.
     *
     * @param batchSize       most reads written in one transaction
     * @param maxWait         how long a writer waits for more reads before committing a small batch
     * @param maxPendingReads reads accepted but not yet committed; beyond it senders get 503
     * @param commitTimeout   how long a sender waits for its commit before getting 503 (the write may still land;
     *                        a retry is then a duplicate)
     */
    public record Store(@DefaultValue("2") int writers, @DefaultValue("500") int batchSize,
                        @DefaultValue("2ms") Duration maxWait, @DefaultValue("20000") int maxPendingReads,
                        @DefaultValue("30s") Duration commitTimeout) {
    }

    public record Validation(@DefaultValue("5m") Duration futureSkew) {
    }

    /** @param location a folder of *.yaml camera files, or one file; unset: the hub refuses to start, except in demo mode (then the demo registry src/test/resources/cameras) */
    public record Cameras(Path location, @DefaultValue("5s") Duration reloadCheck) {
    }

    /** Where connectors and mappings are read from (falls back to the copies inside the jar). */
    public record Catalog(@DefaultValue("connectors") Path connectors, @DefaultValue("mappings") Path mappings) {
    }

    /**
     * HTTP camera feeds ({@code POST /ingest/{feed}}).
     *
     * @param maxBody             larger bodies get 413
     * @param bodyTimeout         the whole body must arrive within this, or the sender gets 408 and the connection is
     *                            closed (checked after each read; one read waits at most
     *                            {@code server.tomcat.connection-timeout})
     * @param maxConcurrentBodies camera requests reading their bodies at once; beyond it 503 + Retry-After at once,
     *                            so slow senders never take the web threads health, API and Hawtio need (keep it well
     *                            below {@code server.tomcat.threads.max})
     */
    public record Http(@DefaultValue("10MB") DataSize maxBody, @DefaultValue("30s") Duration bodyTimeout,
                       @DefaultValue("64") int maxConcurrentBodies) {
    }

    /**
     * A declared feed. Declaring it under {@code anpr.feeds} makes it an HTTP feed ({@code POST /ingest/<id>})
     * unless {@code http} is false; feeds of other transports are declared by their transport's settings and need an
     * entry here only for another connector or policy.
     *
     * @param apiKeys   SHA-256 (hex) of the API keys an HTTP sender must present in {@code X-Api-Key}; empty = none needed
     * @param allowlist addresses or CIDR ranges an HTTP sender must come from; empty = any (same key as TCP feeds)
     * @param allow     deprecated alias of {@code allowlist} (merged into it, with a warning at start-up)
     * @param http      false: not reachable over HTTP (a feed of another transport that only needs settings here)
     */
    public record Feed(String connector, @DefaultValue("false") boolean acceptUnknownCameras,
                       @DefaultValue("true") boolean enabled, List<String> apiKeys, List<String> allowlist,
                       List<String> allow, @DefaultValue("true") boolean http) {
        public Feed {
            apiKeys = apiKeys == null ? List.of() : apiKeys;
            allowlist = allowlist == null ? List.of() : allowlist;
            allow = allow == null ? List.of() : allow;
        }
    }

    /** An operator account: password as a bcrypt hash ({@code bin/anpr-hub hash-password}), never in clear. */
    public record User(String name, String passwordHash, List<String> roles) {
    }
}
