package uk.anprhub.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ThreadsDefinition;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file under {@code routes/} (and the test feeds' route files), read the way the hub reads them, without
 * starting a hub (issue 14.6; replaces OpsApiIT's check that every file is a started route, which broke for the
 * documented {@code routes/tcp-<feed>.camel.yaml}):
 * <ul>
 * <li>one entry per file — a {@code route}, a {@code templatedRoute} or a {@code routeTemplate} — whose id is the
 * file's name;</li>
 * <li>with no transport configured, a route of an optional transport is left out by its precondition or does not
 * start by itself ({@code autoStartup}): the hub starts without it;</li>
 * <li>with its transport switched on, each file yields its route, and every step of it has an explicit id.</li>
 * </ul>
 */
class RouteFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Switches that turn the optional transports' shipped routes on; TCP feeds are switched on by their port. */
    private static final Map<String, String> SWITCHES = Map.of("anpr.ftp-poll.enabled", "true",
            "anpr.kafka.enabled", "true", "anpr.mqtt.enabled", "true");

    @Test
    void eachFileHoldsOneEntryNamedAfterIt() throws IOException {
        List<Path> files = routeFiles(true);
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path f : files) {
            JsonNode entries = YAML.readTree(f.toFile());
            assertThat(entries.isArray() && entries.size() == 1).as(f + ": one entry").isTrue();
            String name = f.getFileName().toString().replace(".camel.yaml", "");
            assertThat(entryId(entries.get(0))).as(f + ": the id of its entry").isEqualTo(name);
        }
    }

    @Test
    void withNoTransportConfiguredOptionalRoutesStayOutOrStopped() throws Exception {
        Map<String, RouteDefinition> routes = load(routeFiles(true), Map.of());
        for (RouteDefinition r : routes.values()) {
            assertThat(r.getRouteId()).as("a TCP or FTP-poll route with nothing configured is left out")
                    .doesNotStartWith("tcp-").isNotEqualTo("ftp-poll");
        }
        assertThat(routes).containsKey("bof2-inputcapture");
        try (DefaultCamelContext ctx = context(Map.of())) {
            for (String optional : List.of("kafka-nas-json", "kafka-spine", "mqtt-frigate-events")) {
                RouteDefinition r = routes.get(optional);
                String autoStartup = r.getAutoStartup(); // the template's {{name}}, as the route's context resolves it
                if (r.getTemplateParameters() != null && r.getTemplateParameters().get("name") != null) {
                    autoStartup = autoStartup.replace("{{name}}", String.valueOf(r.getTemplateParameters().get("name")));
                }
                assertThat(ctx.resolvePropertyPlaceholders(autoStartup))
                        .as(optional + " does not start by itself").isEqualTo("false");
            }
        }
    }

    @Test
    void switchedOnEachFileYieldsItsRouteWithAnIdOnEveryStep() throws Exception {
        List<Path> files = routeFiles(true);
        Map<String, String> on = new HashMap<>(SWITCHES);
        List<String> expected = new ArrayList<>();
        for (Path f : files) {
            JsonNode entry = YAML.readTree(f.toFile()).get(0);
            if (entry.has("templatedRoute") && "anpr-tcp-feed".equals(entry.get("templatedRoute").path("routeTemplateRef").asText())) {
                String feed = parameter(entry.get("templatedRoute"), "feed");
                on.put("anpr.tcp.feeds." + feed + ".port", "1");
            }
            if (!entry.has("routeTemplate")) {
                expected.add(entryId(entry));
            }
        }
        Map<String, RouteDefinition> routes = load(files, on);
        assertThat(routes.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        List<String> missing = new ArrayList<>();
        for (RouteDefinition r : routes.values()) {
            collectMissingIds(r.getRouteId(), r.getOutputs(), missing);
        }
        assertThat(missing).as("steps without an explicit id").isEmpty();
        // a templated TCP feed carries the template's invariants
        RouteDefinition tcp = routes.get("tcp-nas-json");
        assertThat(tcp.getTemplateParameters()).containsEntry("feed", "nas-json");
        assertThat(tcp.getInput().getEndpointUri()).contains("decoders=#anprTcp.{{feed}}").contains("sync=true")
                .contains("synchronous=true");
        assertThat(tcp.getOutputs().get(tcp.getOutputs().size() - 1).getId()).as("the reply is the last step")
                .isEqualTo("tcp-{{feed}}-reply");
        // the Kafka, MQTT and FTP-poll feeds are templated too, and carry their templates' invariants
        RouteDefinition kafka = routes.get("kafka-nas-json");
        assertThat(kafka.getTemplateParameters()).containsEntry("name", "nas-json").containsEntry("feed", "nas-json");
        assertThat(kafka.getInput().getEndpointUri()).contains("autoCommitEnable=false").contains("allowManualCommit=true")
                .contains("breakOnFirstError=true").contains("batching=true");
        assertThat(kafka.getErrorHandlerFactory()).isInstanceOf(NoErrorHandlerDefinition.class);
        assertThat(lastStep(kafka)).as("offsets committed by kafkaIngest, after the store commit")
                .isInstanceOfSatisfying(ProcessDefinition.class, p -> assertThat(p.getRef()).isEqualTo("kafkaIngest"));
        RouteDefinition mqtt = routes.get("mqtt-frigate-events");
        assertThat(mqtt.getTemplateParameters()).containsEntry("name", "frigate").containsEntry("feed", "frigate-mqtt");
        assertThat(mqtt.getInput().getEndpointUri()).contains("manualAcksEnabled=true").contains("cleanStart=false")
                .contains("qos=1").contains("clientId={{anpr.mqtt.client-id}}-{{name}}")
                .contains("receiveMaximum={{anpr.mqtt.receive-maximum}}");
        assertThat(mqtt.getErrorHandlerFactory()).isInstanceOf(NoErrorHandlerDefinition.class);
        ThreadsDefinition threads = (ThreadsDefinition) mqtt.getOutputs().stream()
                .filter(ThreadsDefinition.class::isInstance).findFirst().orElseThrow();
        assertThat(threads.getMaxQueueSize()).as("the threads queue holds receive-maximum messages")
                .isEqualTo("{{anpr.mqtt.receive-maximum}}");
        assertThat(lastStep(mqtt)).isInstanceOfSatisfying(ProcessDefinition.class,
                p -> assertThat(p.getRef()).isEqualTo("mqttIngest"));
        RouteDefinition poll = routes.get("ftp-poll");
        assertThat(poll.getTemplateParameters()).containsEntry("name", "ftp-poll");
        assertThat(poll.getInput().getEndpointUri()).contains("readLock=changed")
                .contains("move=${header.AnprOutcome}").doesNotContain("moveFailed");
        assertThat(lastStep(poll)).as("the settle step (rollback while the store is unavailable) is last")
                .isInstanceOfSatisfying(ProcessDefinition.class, p -> assertThat(p.getRef()).isEqualTo("anprFtpPollOutcome"));
    }

    @Test
    void templateDefaultsOfTheShippedFeedsEqualApplicationYaml() throws Exception {
        // a template's inline default ({{anpr.<name>.delay:5000}}) is for a copied feed's keys; for a shipped feed
        // application.yaml holds the same key, and the two must agree
        Properties yaml = applicationYaml();
        Map<String, String> templates = new HashMap<>();
        List<JsonNode> templated = new ArrayList<>();
        for (Path f : routeFiles(false)) {
            JsonNode entry = YAML.readTree(f.toFile()).get(0);
            if (entry.has("routeTemplate")) {
                templates.put(entry.get("routeTemplate").get("id").asText(), Files.readString(f));
            } else if (entry.has("templatedRoute")) {
                templated.add(entry.get("templatedRoute"));
            }
        }
        Pattern placeholder = Pattern.compile("\\{\\{(anpr\\.[a-z0-9.-]+):([^}]*)}}");
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (JsonNode t : templated) {
            String text = templates.get(t.get("routeTemplateRef").asText());
            assertThat(text).as("template of " + t.get("routeId")).isNotNull();
            for (JsonNode p : t.path("parameters")) {
                text = text.replace("{{" + p.get("name").asText() + "}}", p.get("value").asText());
            }
            Matcher m = placeholder.matcher(text);
            while (m.find()) {
                Object v = yaml.get(m.group(1)); // numbers and booleans stay typed in the parsed YAML
                String value = v == null ? null : v.toString();
                if (value != null) {
                    compared++;
                    if (!value.equals(m.group(2))) {
                        wrong.add(t.get("routeId").asText() + ": " + m.group() + ", application.yaml: " + value);
                    }
                }
            }
        }
        assertThat(compared).as("defaults compared").isGreaterThanOrEqualTo(8);
        assertThat(wrong).isEmpty();
    }

    private static ProcessorDefinition<?> lastStep(RouteDefinition r) {
        return r.getOutputs().get(r.getOutputs().size() - 1);
    }

    private static void collectMissingIds(String route, List<ProcessorDefinition<?>> steps, List<String> missing) {
        for (ProcessorDefinition<?> step : steps) {
            if (!step.hasCustomIdAssigned()) {
                missing.add(route + ": " + step.getShortName() + " " + step.getLabel());
            }
            collectMissingIds(route, step.getOutputs(), missing);
        }
    }

    /** The route files of the hub (and, with {@code tests}, the test feeds' ones), sorted. */
    static List<Path> routeFiles(boolean tests) throws IOException {
        List<Path> all = new ArrayList<>();
        for (String dir : tests ? List.of("routes", "src/test/resources/tcp-routes", "src/test/resources/tcp-new-feed")
                : List.of("routes")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                all.addAll(files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList());
            }
        }
        return all;
    }

    private static String entryId(JsonNode entry) {
        if (entry.has("route")) {
            return entry.get("route").path("id").asText(null);
        }
        if (entry.has("templatedRoute")) {
            return entry.get("templatedRoute").path("routeId").asText(null);
        }
        return entry.path("routeTemplate").path("id").asText(null);
    }

    private static String parameter(JsonNode templated, String name) {
        for (JsonNode p : templated.path("parameters")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("value").asText();
            }
        }
        return null;
    }

    /** The route's precondition as Camel evaluates it when it adds the route (a simple predicate, placeholders resolved). */
    private static boolean included(RouteDefinition r, DefaultCamelContext ctx) {
        if (r.getPrecondition() == null) {
            return true;
        }
        Properties local = new Properties(); // a templated route's parameters, as Camel sets them while adding it
        if (r.getTemplateParameters() != null) {
            local.putAll(r.getTemplateParameters());
        }
        ctx.getPropertiesComponent().setLocalProperties(local);
        try {
            var predicate = new org.apache.camel.model.language.SimpleExpression(r.getPrecondition());
            predicate.initPredicate(ctx);
            var p = predicate.getPredicate();
            p.initPredicate(ctx);
            return p.matches(new org.apache.camel.support.DefaultExchange(ctx));
        } finally {
            ctx.getPropertiesComponent().setLocalProperties(null);
        }
    }

    private static DefaultCamelContext context(Map<String, String> properties) {
        DefaultCamelContext ctx = new DefaultCamelContext();
        // the defaults the hub's Camel sees in the Spring environment (route files carry none inline)
        Properties p = applicationYaml();
        p.putAll(properties);
        ctx.getPropertiesComponent().setInitialProperties(p);
        return ctx;
    }

    private static Properties applicationYaml() {
        var yaml = new org.springframework.beans.factory.config.YamlPropertiesFactoryBean();
        yaml.setResources(new org.springframework.core.io.FileSystemResource("src/main/resources/application.yaml"));
        Properties p = new Properties();
        p.putAll(java.util.Objects.requireNonNull(yaml.getObject()));
        return p;
    }

    /** The routes the files make with these properties, as the hub's Camel would add them (not started). */
    private static Map<String, RouteDefinition> load(List<Path> files, Map<String, String> properties) throws Exception {
        try (DefaultCamelContext ctx = context(properties)) {
            var resources = files.stream().map(f -> {
                try {
                    return ResourceHelper.fromString(f.getFileName().toString(), Files.readString(f));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            PluginHelper.getRoutesLoader(ctx).loadRoutes(resources.toArray(org.apache.camel.spi.Resource[]::new));
            Map<String, RouteDefinition> routes = new HashMap<>();
            for (RouteDefinition r : ctx.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
                if (included(r, ctx)) {
                    routes.put(r.getRouteId(), r);
                }
            }
            return routes;
        }
    }
}
