package plaincamel;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reference line "plain Camel route" of the benchmark report: what an integrator writes by hand for the canonical
 * feed, one message at a time, with no group commit, no outbox and no normalisation beyond the obvious.
 *
 * <pre>
 * platform-http POST /ingest/nas-json
 *   → unmarshal the canonical JSON read (Jackson, to a Map)
 *   → camel-sql: one INSERT into nas_read (the hub's table and columns), autocommit = one commit per message, HikariCP
 *   → camel-http: POST [read] to {nasUrl}/captures (the NAS simulator's API, the body shape the hub sends)
 *   → 200 {"stored":1,"duplicates":0}   (the hub's answer shape, so camera-sim can drive it)
 * </pre>
 *
 * It lives outside {@code uk.anprhub} on purpose: the hub's {@code @SpringBootApplication} scans {@code uk.anprhub.**}
 * and test classes are on the integration-test classpath. It reads {@code plaincamel.yaml}-named config only
 * ({@code spring.config.name=plaincamel}), never the hub's {@code application.yaml} (which is on the same classpath
 * and would load the hub's YAML routes), and switches off the hub's Spring Security, Flyway auto-configuration.
 *
 * <p>Start: {@code java -cp <test classpath> plaincamel.PlainCamelApp [--name=value ...]}, with
 * <ul>
 * <li>{@code --server.port=8088} HTTP port (camera-sim: {@code --url http://localhost:8088}, feed nas-json)</li>
 * <li>{@code --ref.db.url=jdbc:postgresql://localhost:5432/postgres}, {@code --ref.db.user=postgres},
 *     {@code --ref.db.password=} the hub's PostgreSQL; the schema must exist (the hub's Flyway migrations, and today's
 *     partition: {@code uk.anprhub.bench.reference.CopyReference} or a hub start make both)</li>
 * <li>{@code --ref.db.pool-size=16} HikariCP connections (the hub's {@code anpr.db.pool-size} default)</li>
 * <li>{@code --ref.nas.url=http://localhost:9090/nas/v1} the NAS capture API base URL ({@code bin/anpr-hub nas-sim})</li>
 * <li>{@code --spring.task.execution.pool.core-size=64} / {@code max-size=64}: platform-http runs each request on
 *     Spring's task executor (8 threads by default, see stack-notes); sized like the hub's application.yaml so the
 *     comparison is fair</li>
 * </ul>
 * Idempotency keys are made as the hub makes them ({@code cameraId:VRM:capture ms}); a repeat is a no-op insert
 * ({@code on conflict do nothing}), answered {@code "duplicates":1} and not forwarded again.
 */
@SpringBootApplication(exclude = {SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
        ManagementWebSecurityAutoConfiguration.class, FlywayAutoConfiguration.class})
public class PlainCamelApp {

    static final String INSERT = "sql:insert into nas_read (read_id, idempotency_key, captured_at, received_at, camera_id, feed, vrm, body) "
            + "values (CAST(:#readId AS uuid), :#key, :#capturedAt, :#receivedAt, :#cameraId, 'nas-json', :#vrm, CAST(:#body AS jsonb)) "
            + "on conflict (idempotency_key, captured_at) do nothing";

    public static void main(String[] args) {
        start(args);
    }

    /** Starts the app in this JVM (the IT does; {@code --server.port=0} picks a free port). */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication app = new SpringApplication(PlainCamelApp.class);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.config.name", "plaincamel"); // not the hub's application.yaml (same classpath)
        defaults.put("server.port", "8088");
        defaults.put("ref.db.url", "jdbc:postgresql://localhost:5432/postgres");
        defaults.put("ref.db.user", "postgres");
        defaults.put("ref.db.password", "");
        defaults.put("ref.db.pool-size", "16");
        defaults.put("ref.nas.url", "http://localhost:9090/nas/v1");
        defaults.put("spring.datasource.url", "${ref.db.url}");
        defaults.put("spring.datasource.username", "${ref.db.user}");
        defaults.put("spring.datasource.password", "${ref.db.password}");
        defaults.put("spring.datasource.hikari.maximum-pool-size", "${ref.db.pool-size}");
        defaults.put("spring.datasource.hikari.pool-name", "plain-camel");
        defaults.put("spring.task.execution.pool.core-size", "64");
        defaults.put("spring.task.execution.pool.max-size", "64");
        defaults.put("spring.task.execution.pool.queue-capacity", "10000");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("camel.main.name", "plain-camel");
        defaults.put("management.endpoints.web.exposure.include", "health");
        defaults.put("hawtio.authenticationEnabled", "false");
        defaults.put("logging.level.root", "WARN");
        defaults.put("logging.level.plaincamel", "INFO");
        app.setDefaultProperties(defaults);
        return app.run(args);
    }

    @Bean
    RouteBuilder plainRoute() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                ObjectMapper json = new ObjectMapper();
                from("platform-http:/ingest/nas-json?httpMethodRestrict=POST").routeId("plain-ingest")
                        .unmarshal().json(JsonLibrary.Jackson, Map.class)
                        .process(e -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> read = e.getMessage().getBody(Map.class);
                            String asRead = String.valueOf(read.get("vrm"));
                            String vrm = asRead.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
                            Instant captured = Instant.parse(String.valueOf(read.get("captureTimeUtc")));
                            String camera = String.valueOf(read.get("cameraId"));
                            UUID readId = UUID.randomUUID();
                            Instant received = Instant.now();
                            Map<String, Object> stored = new LinkedHashMap<>();
                            stored.put("readId", readId.toString());
                            stored.put("idempotencyKey", camera + ":" + vrm + ":" + captured.toEpochMilli());
                            stored.put("vrm", vrm);
                            stored.put("vrmAsRead", asRead);
                            stored.put("receivedTimeUtc", received.toString());
                            read.forEach(stored::putIfAbsent);
                            stored.put("vrm", vrm);
                            String body = json.writeValueAsString(stored);
                            Map<String, Object> p = new LinkedHashMap<>();
                            p.put("readId", readId.toString());
                            p.put("key", stored.get("idempotencyKey"));
                            p.put("capturedAt", OffsetDateTime.ofInstant(captured, ZoneOffset.UTC));
                            p.put("receivedAt", OffsetDateTime.ofInstant(received, ZoneOffset.UTC));
                            p.put("cameraId", camera);
                            p.put("vrm", vrm);
                            p.put("body", body);
                            e.getMessage().setBody(p);
                            e.setVariable("nasBody", "[" + body + "]");
                        })
                        .to(INSERT)
                        .choice()
                            .when(header("CamelSqlUpdateCount").isEqualTo(1))
                                .removeHeaders("CamelHttp*")
                                .removeHeaders("*", "CamelSqlUpdateCount")
                                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                                .setBody(variable("nasBody"))
                                .to("{{ref.nas.url}}/captures")
                                .setBody(constant("{\"stored\":1,\"duplicates\":0}"))
                            .otherwise()
                                .setBody(constant("{\"stored\":0,\"duplicates\":1}"))
                        .end()
                        .removeHeaders("*")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
            }
        };
    }
}
