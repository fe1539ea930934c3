package uk.anprhub;

import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;
import uk.anprhub.support.TestReads;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Prometheus scrape can rely on (issue 15 item 5): help text on every hub metric, the known label series at
 * zero before any traffic, the latency histograms, and the hub's version.
 */
class MetricsIT extends HubIT {

    @Test
    void everyHubMetricHasAHelpText() throws Exception {
        String scrape = get("/actuator/prometheus").body();
        Map<String, String> help = new HashMap<>();
        TreeSet<String> families = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# HELP anpr_")) {
                String[] parts = line.split(" ", 4);
                help.put(parts[2], parts.length > 3 ? parts[3].strip() : "");
            } else if (line.startsWith("# TYPE anpr_")) {
                families.add(line.split(" ")[2]);
            }
        }
        assertThat(families).contains("anpr_reads_received_total", "anpr_reads_quarantined_total", "anpr_quarantine_held",
                "anpr_build_info");
        for (String family : families) {
            assertThat(help.get(family)).as("HELP of " + family).isNotBlank();
        }
    }

    @Test
    void knownSeriesExistAtZeroBeforeAnyTraffic() throws Exception {
        // far-away-nas only ever gets refused at the gate (HttpFeedsIT): its ingest counters never move
        String scrape = get("/actuator/prometheus").body();
        for (String series : new String[]{"anpr_reads_received_total{feed=\"far-away-nas\"}", "anpr_reads_stored_total{feed=\"far-away-nas\"}",
                "anpr_reads_duplicate_total{feed=\"far-away-nas\"}",
                "anpr_reads_quarantined_total{feed=\"far-away-nas\",reason=\"unknown-camera\"}",
                "anpr_reads_quarantined_total{feed=\"far-away-nas\",reason=\"invalid-vrm\"}"}) {
            assertThat(scrape).as(series).contains(series + " 0.0");
        }
        assertThat(scrape).contains("anpr_reads_delivered_total{target=\"nas\"}");
        for (String transport : new String[]{"http", "tcp", "ftp", "kafka", "mqtt"}) {
            assertThat(scrape).contains("anpr_ingest_ack_seconds_count{transport=\"" + transport + "\"}");
        }
    }

    @Test
    void commitAndAckLatencyAreHistograms() throws Exception {
        double before = metric("anpr_ingest_ack_seconds_count{transport=\"http\"}");
        HttpResponse<String> r = postJson("/ingest/nas-json", TestReads.read());
        assertThat(r.statusCode()).isEqualTo(200);
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape).contains("anpr_store_commit_seconds_bucket{le=").contains("anpr_ingest_ack_seconds_bucket{transport=\"http\",le=");
        assertThat(metric("anpr_ingest_ack_seconds_count{transport=\"http\"}")).isGreaterThan(before);
        assertThat(metric("anpr_store_commit_seconds_count")).isPositive();
    }

    @Test
    void theVersionIsInInfoAndAMetric() throws Exception {
        HttpResponse<String> info = HTTP.send(asOps("/actuator/info").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        String version = json(info).path("build").path("version").asText();
        assertThat(version).isNotBlank();
        assertThat(metric("anpr_build_info{version=\"" + version + "\"}")).isEqualTo(1.0);
    }
}
