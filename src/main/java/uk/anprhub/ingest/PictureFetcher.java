package uk.anprhub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.anprhub.connector.Connector;
import uk.anprhub.model.NasRead;
import uk.anprhub.normalise.Normaliser;
import uk.anprhub.store.ImageStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Fetches the pictures cameras keep and only reference ({@code picture_fetch} rows written with their reads), for
 * connectors that declare {@code pictures: {fetch: true}}: GET with the connector's timeout (for the whole exchange,
 * body included) and size limit (no more is read), the
 * checks of an inline picture, then attached to the stored read like a late picture (a read that holds one already
 * keeps it). Only from the read's sender address or a host the connector lists, no redirects: anything else is
 * refused without a request. A failed request is retried with a capped exponential wait up to
 * {@code anpr.pictures.max-attempts}, then the reference is marked failed and kept, counted in
 * {@code anpr_pictures_fetch_failed_total{connector,reason}}. Logs name the read id and host, never a plate or a
 * URL's query (cameras put credentials there). A camera that answers 401 with a Digest challenge is asked once more
 * with the account its connector's {@code pictures.login} names (environment variables; {@link PictureFetchDigest}).
 *
 * <p>Over 300 lines on purpose: claim, fetch, check and settle one reference are the steps of one job, and the SQL
 * of its table lives with them.
 */
public final class PictureFetcher {

    private static final Logger log = LoggerFactory.getLogger(PictureFetcher.class);

    /** Due references, leased for a while so that a second hub on the same database does not take them too. */
    private static final String CLAIM = """
            update picture_fetch set next_at = now() + interval '5 minutes'
            where (read_id, kind) in (select read_id, kind from picture_fetch
                                      where state = 'pending' and next_at <= now() and connector = any(?)
                                      order by next_at limit ? for update skip locked)
            returning read_id, captured_at, kind, connector, remote_addr, url, attempts""";
    private static final String STORED = """
            select body #>> ?::text[] from nas_read where read_id = ? and captured_at = ? for update""";
    private static final String ATTACH = """
            update nas_read set body = jsonb_set(body, ?::text[], ?::jsonb) where read_id = ? and captured_at = ?""";
    private static final String DONE = "delete from picture_fetch where read_id = ? and kind = ?";
    private static final String RETRY = """
            update picture_fetch set attempts = ?, next_at = ?, reason = ? where read_id = ? and kind = ?""";
    private static final String FAILED = """
            update picture_fetch set attempts = ?, state = 'failed', reason = ? where read_id = ? and kind = ?""";
    private static final String EXPIRED = "delete from picture_fetch where captured_at < ?";

    /** One claimed reference. */
    record Due(UUID readId, Instant capturedAt, String kind, String connector, String remoteAddr, String url, int attempts) {
    }

    /** The outcome of one request: bytes, or why not and whether another attempt may help. */
    private record Answer(byte[] bytes, String reason, boolean final_) {
        static Answer ok(byte[] b) {
            return new Answer(b, null, false);
        }

        static Answer retry(String reason) {
            return new Answer(null, reason, false);
        }

        static Answer refuse(String reason) {
            return new Answer(null, reason, true);
        }
    }

    private final DataSource dataSource;
    private final ImageStore images;
    private final ObjectWriter refJson;
    private final Function<String, Optional<Connector.Pictures>> policies;
    private final java.util.function.Supplier<List<String>> fetchingConnectors;
    private final PictureFetchProperties props;
    private final int retentionDays;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final Function<String, String> env;
    private final AtomicLong failedLast = new AtomicLong();

    /**
     * @param policies           a connector's {@code pictures:} declaration by connector id
     * @param fetchingConnectors the ids of the connectors that fetch (read each round: the catalogue reloads)
     */
    public PictureFetcher(DataSource dataSource, ImageStore images, ObjectMapper mapper,
                          Function<String, Optional<Connector.Pictures>> policies,
                          java.util.function.Supplier<List<String>> fetchingConnectors,
                          PictureFetchProperties props, int retentionDays, MeterRegistry meters) {
        this(dataSource, images, mapper, policies, fetchingConnectors, props, retentionDays, meters, System::getenv);
    }

    /** @param env the environment the names of a connector's {@code pictures.login} are looked up in */
    PictureFetcher(DataSource dataSource, ImageStore images, ObjectMapper mapper,
                   Function<String, Optional<Connector.Pictures>> policies,
                   java.util.function.Supplier<List<String>> fetchingConnectors,
                   PictureFetchProperties props, int retentionDays, MeterRegistry meters, Function<String, String> env) {
        this.env = env;
        this.dataSource = dataSource;
        this.images = images;
        this.refJson = mapper.writerFor(NasRead.ImageRef.class);
        this.policies = policies;
        this.fetchingConnectors = fetchingConnectors;
        this.props = props;
        this.retentionDays = retentionDays;
        this.meters = meters;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER) // a redirect could leave the allowed host
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** References marked failed and still held (kept until their read leaves retention), as of the last round. */
    public long failedHeld() {
        return failedLast.get();
    }

    /** One round: the due references of fetching connectors, each fetched once. Returns how many were taken. */
    public int runOnce() throws SQLException {
        List<String> connectors = fetchingConnectors.get();
        List<Due> due = connectors.isEmpty() ? List.of() : claim(connectors);
        for (Due d : due) {
            Connector.Pictures policy = policies.apply(d.connector()).filter(Connector.Pictures::fetch).orElse(null);
            if (policy == null) { // switched off since the claim: left pending
                continue;
            }
            Answer a = fetch(d, policy);
            if (a.bytes() != null) {
                attach(d, a.bytes());
            } else {
                failed(d, a);
            }
        }
        housekeeping();
        return due.size();
    }

    private List<Due> claim(List<String> connectors) throws SQLException {
        List<Due> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setArray(1, c.createArrayOf("text", connectors.toArray(String[]::new)));
            ps.setInt(2, props.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7)));
                }
            }
        }
        return out;
    }

    /** The SSRF guard, then one GET. Never throws. */
    private Answer fetch(Due d, Connector.Pictures policy) {
        URI uri;
        try {
            uri = URI.create(d.url());
        } catch (IllegalArgumentException e) {
            return Answer.refuse("bad-url");
        }
        if (!allowed(uri, d.remoteAddr(), policy.hosts())) {
            return Answer.refuse("host-not-allowed");
        }
        try {
            HttpResponse<byte[]> response = get(uri, policy, null);
            if (response.statusCode() == 401 && policy.login() != null) {
                String user = env.apply(policy.login().usernameEnv());
                String password = env.apply(policy.login().passwordEnv());
                if (user == null || password == null) {
                    return Answer.refuse("login-missing"); // the variables are not set: ops must, no retry helps
                }
                String target = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
                String authorization = PictureFetchDigest.authorization(
                        response.headers().allValues("WWW-Authenticate"), "GET", target, user, password);
                if (authorization == null) {
                    return Answer.refuse("http-401"); // Basic (never sent over plain HTTP) or an unknown scheme
                }
                response = get(uri, policy, authorization);
            }
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                return Answer.refuse("http-" + status); // a login is wanted: asking again will not change that
            }
            if (status >= 300 && status < 400) {
                return Answer.refuse("redirect"); // never followed (it could leave the allowed host); will not change
            }
            if (status != 200) {
                return Answer.retry("http-" + status); // 404 too: a camera may not have written the file yet
            }
            String problem = Normaliser.pictureProblem(response.body(), policy.maxBytes());
            return problem == null ? Answer.ok(response.body()) : Answer.refuse(problem);
        } catch (java.net.http.HttpTimeoutException | TimeoutException e) {
            return Answer.retry("timeout");
        } catch (IOException e) {
            return Answer.retry("io-error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.retry("interrupted");
        } catch (IllegalArgumentException e) {
            // a header the JDK refuses (a challenge or an account with characters a header cannot carry): one
            // camera's answer must not end the round for every other reference; the text is not kept (it may
            // quote the header)
            return Answer.refuse("bad-request");
        }
    }

    /**
     * One GET, with an {@code Authorization} header when given (never logged). The whole exchange (connect, headers
     * and body) ends by the connector's timeout: {@link HttpRequest#timeout} alone stops waiting at the headers, so a
     * camera that trickles its body (slowloris) would hold the fetcher for ever. Only a 200's body is kept, and at
     * most {@code maxBytes + 1} of it (one over the limit tells "too large"); any other body is discarded.
     */
    private HttpResponse<byte[]> get(URI uri, Connector.Pictures policy, String authorization)
            throws IOException, InterruptedException, TimeoutException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(policy.timeout()).GET()
                .header("Accept", "image/jpeg, image/png");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long keep = Math.min(policy.maxBytes() + 1, Integer.MAX_VALUE - 8);
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request.build(), info -> info.statusCode() == 200
                ? new PictureFetchBody(keep) : HttpResponse.BodySubscribers.replacing((byte[]) null));
        try {
            return exchange.get(policy.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            exchange.cancel(true); // closes the connection: the camera is not read any further
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // HttpTimeoutException among them
            }
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IOException("picture request failed", e.getCause());
        }
    }

    /**
     * Only http(s), no user info, and a host that is the read's sender address or one the connector lists. Compared
     * as written (no name resolution here: a name that resolves elsewhere later must not widen the check).
     */
    static boolean allowed(URI uri, String remoteAddr, List<String> hosts) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return false;
        }
        String host = bare(uri.getHost());
        return (remoteAddr != null && host.equals(bare(remoteAddr))) || hosts.stream().map(PictureFetcher::bare).anyMatch(host::equals);
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Attached in one transaction with the row's removal; a read that holds a picture already keeps it. */
    private void attach(Due d, byte[] bytes) throws SQLException {
        String field = d.kind() + "Image";
        boolean attached = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean present;
                String sha;
                try (PreparedStatement ps = c.prepareStatement(STORED)) {
                    ps.setArray(1, c.createArrayOf("text", new String[]{field, "sha256"}));
                    ps.setObject(2, d.readId());
                    ps.setTimestamp(3, Timestamp.from(d.capturedAt()));
                    try (ResultSet rs = ps.executeQuery()) {
                        present = rs.next();
                        sha = present ? rs.getString(1) : null;
                    }
                }
                if (present && sha == null) {
                    LocalDate day = d.capturedAt().atOffset(ZoneOffset.UTC).toLocalDate();
                    images.put(day, d.readId(), d.kind(), bytes);
                    try (PreparedStatement up = c.prepareStatement(ATTACH)) {
                        up.setArray(1, c.createArrayOf("text", new String[]{field}));
                        up.setString(2, refJson.writeValueAsString(Normaliser.pictureRef(bytes)));
                        up.setObject(3, d.readId());
                        up.setTimestamp(4, Timestamp.from(d.capturedAt()));
                        up.executeUpdate();
                    }
                    attached = true;
                }
                try (PreparedStatement del = c.prepareStatement(DONE)) {
                    del.setObject(1, d.readId());
                    del.setString(2, d.kind());
                    del.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                c.rollback(); // the row stays leased and is taken again: the same bytes are written again
                throw e instanceof SQLException s ? s : new SQLException("picture not attached", e);
            }
        }
        if (attached) {
            Counter.builder("anpr.pictures.fetched").description("Referenced pictures fetched from cameras and attached")
                    .tag("connector", d.connector()).register(meters).increment();
            log.debug("A {} picture fetched from {} attached to read {}", d.kind(), hostOf(d.url()), d.readId());
        }
    }

    private void failed(Due d, Answer a) throws SQLException {
        int attempts = d.attempts() + 1;
        boolean last = a.final_() || attempts >= props.maxAttempts();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(last ? FAILED : RETRY)) {
            int i = 1;
            ps.setInt(i++, attempts);
            if (!last) {
                ps.setTimestamp(i++, Timestamp.from(Instant.now().plus(props.retryAfter(attempts))));
            }
            ps.setString(i++, a.reason());
            ps.setObject(i++, d.readId());
            ps.setString(i, d.kind());
            ps.executeUpdate();
        }
        if (last) {
            Counter.builder("anpr.pictures.fetch.failed")
                    .description("Picture references marked failed (not fetched, never tried again), by reason")
                    .tag("connector", d.connector()).tag("reason", a.reason()).register(meters).increment();
            log.warn("The {} picture of read {} (connector {}, {}) could not be fetched after {} attempt(s): {}; marked failed",
                    d.kind(), d.readId(), d.connector(), hostOf(d.url()), attempts, a.reason());
        } else {
            Counter.builder("anpr.pictures.fetch.retries").description("Picture requests that failed and will be tried again")
                    .tag("connector", d.connector()).register(meters).increment();
        }
    }

    /** Rows of reads past retention go with them; the failed count for the gauge. */
    private void housekeeping() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(EXPIRED)) {
                ps.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(retentionDays))));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*) from picture_fetch where state = 'failed'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                failedLast.set(rs.getLong(1));
            }
        }
    }

    /**
     * Scheme, host and port of a URL: for logs, without user info, path or query (cameras put credentials in the
     * query, and some a picture name made of the plate in the path).
     */
    static String hostOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "(unparsable URL)";
        }
    }
}
