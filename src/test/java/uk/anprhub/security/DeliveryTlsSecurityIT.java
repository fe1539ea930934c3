package uk.anprhub.security;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 14, delivery side: the hub reaches NAS (and BOF2) over mutual TLS, also through an HTTP CONNECT
 * proxy (the force's VPN/PSN link), against a NAS simulator that refuses any client without a certificate from its
 * CA. A target with no client certificate or an untrusted one delivers nothing, says why (health, metric, log — no
 * plate) and keeps every read queued.
 */
class DeliveryTlsSecurityIT extends TlsHub {

    @Test
    void withTheRightClientCertificateReadsReachNasDirectlyAndBof2ThroughTheProxy() throws Exception {
        // reads of the other test reach nas and bof2 too: start from a drained outbox so the counts below are ours
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pending("nas")).isZero();
            assertThat(pending("bof2")).isZero();
        });
        long nasBefore = SIM.stat("uniqueReadIds");
        long bof2Before = SIM.bof2Stat("uniqueReadIds");
        assertThat(ingest(HTTPS, https("/ingest/tls-feed"), reads(20)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(SIM.stat("uniqueReadIds")).isEqualTo(nasBefore + 20);
            assertThat(SIM.bof2Stat("uniqueReadIds")).isEqualTo(bof2Before + 20);
            // the simulator counts a read before the hub has marked it delivered: wait for both
            assertThat(pending("nas")).isZero();
            assertThat(pending("bof2")).isZero();
        });
        assertThat(SIM.stat("duplicates")).isZero();
        // bof2 is configured with the proxy: its connections went through CONNECT tunnels to the simulator
        assertThat(PROXY.tunnels()).isNotEmpty().containsOnly("localhost:" + SIM.port());
        JsonNode health = health();
        assertThat(health.at("/components/delivery/components/nas/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/delivery/components/bof2/status").asText()).isEqualTo("UP");
    }

    @Test
    void theSimulatorReallyDemandsAClientCertificate() {
        // Without this the two tests here could pass against a server that takes anyone.
        assertThatThrownBy(() -> HTTPS.send(HttpRequest.newBuilder(URI.create(SIM.nasUrl() + "/_stats")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        HttpClient withCertificate = HttpClient.newBuilder()
                .sslContext(uk.anprhub.simulator.nas.NasSimCommand.sslContext(PKI.client(), PKI.trust(), PKI.password())).build();
        assertThat(statusOf(withCertificate, SIM.nasUrl() + "/_stats")).isEqualTo(200);
    }

    @Test
    void withoutATrustedClientCertificateNothingIsDeliveredTheReasonIsShownWithoutPlatesAndTheReadsWait() throws Exception {
        long nocertBefore = pending("nocert");
        long rogueBefore = pending("rogue");
        assertThat(ingest(HTTPS, https("/ingest/tls-feed"), reads(10)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode targets = health().at("/components/delivery/components");
            for (String t : List.of("nocert", "rogue")) {
                assertThat(targets.at("/" + t + "/status").asText()).as(t).isEqualTo("DEGRADED");
                assertThat(targets.at("/" + t + "/details/problem").asText()).as(t).startsWith("tls: ");
            }
            assertThat(metric("anpr_delivery_send_failures_total{kind=\"tls\",target=\"nocert\"}")).isPositive();
            assertThat(metric("anpr_delivery_send_failures_total{kind=\"tls\",target=\"rogue\"}")).isPositive();
        });
        // nothing lost, nothing dead-lettered: every read waits in the outbox for a working certificate
        assertThat(pending("nocert")).isEqualTo(nocertBefore + 10);
        assertThat(pending("rogue")).isEqualTo(rogueBefore + 10);
        for (String t : List.of("nocert", "rogue")) {
            // the cursor keeps no row per delivered read: the target's own counter says none was ever delivered
            assertThat(metric("anpr_reads_delivered_total{target=\"" + t + "\"}")).as(t).isZero();
            assertThat(jdbc.queryForObject("select count(*) from dead_letter where target = ?", Long.class, t)).as(t).isZero();
        }
        List<String> log = logMessages();
        for (String t : List.of("nocert", "rogue")) {
            assertThat(log).as("a log line says why target %s fails", t)
                    .anyMatch(m -> m.startsWith("Delivery target " + t + ": TLS handshake failed (tls: "));
        }
        assertThat(log).noneMatch(m -> PLATES.stream().anyMatch(m::contains));
    }

    private static List<String> logMessages() {
        synchronized (LOG) { // appends are synchronized on the appender
            List<String> out = new ArrayList<>();
            for (ILoggingEvent e : LOG.list) {
                out.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
            }
            return out;
        }
    }

    private static int statusOf(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
