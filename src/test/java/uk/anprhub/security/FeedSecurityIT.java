package uk.anprhub.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import uk.anprhub.ingest.OpenFeedWarnings;
import uk.anprhub.support.TestReads;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 1, attacked over real HTTP against a hub in production mode: a sender refused by a keyed feed posts
 * the same bytes to a connector id ({@code /ingest/nas-json}) or to the legacy BOF2 endpoint, and to a feed that is
 * declared for TCP only. Every attempt is refused and nothing is stored or quarantined; TCP still takes its feed.
 */
class FeedSecurityIT extends ProductionHub {

    @Autowired
    OpenFeedWarnings warnings;

    @Test
    void aKeyedFeedRefusesASenderWithoutItsKeyAndTakesOneWithIt() throws Exception {
        String read = TestReads.read();
        assertThat(post("/ingest/keyed-nas", "application/json", read).statusCode()).isEqualTo(401);
        assertThat(post("/ingest/keyed-nas", "application/json", read, "X-Api-Key", "guess").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = post("/ingest/keyed-nas", "application/json", read, "X-Api-Key", KEY);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void theRefusedBytesPostedToTheConnectorIdAsAFeedAreRefused() throws Exception {
        String plate = TestReads.plate();
        String read = TestReads.read(plate, java.time.Instant.now().minusSeconds(60), 1);
        int quarantined = count("select count(*) from quarantine");
        assertThat(post("/ingest/keyed-nas", "application/json", read).statusCode()).isEqualTo(401);

        HttpResponse<String> bypass = post("/ingest/nas-json", "application/json", read);
        assertThat(bypass.statusCode()).as(bypass.body()).isEqualTo(404);
        assertThat(bypass.body()).contains("unknown-feed");
        // every other catalogue connector too, e.g. a vendor one
        assertThat(post("/ingest/hikvision-isapi", "application/json", read).statusCode()).isEqualTo(404);

        assertThat(count("select count(*) from nas_read where vrm = ?", plate.replace(" ", ""))).isZero();
        assertThat(count("select count(*) from quarantine")).isEqualTo(quarantined);
    }

    @Test
    void theLegacyBof2EndpointIsNotAnOpenFeed() throws Exception {
        String soap = Files.readString(Path.of("connectors/bof2-soap/samples/001-sendcapture-document-literal.xml"))
                .replace("LK19ABC", "ZZ99 SEC").replaceAll("<dateTime>[^<]+</dateTime>",
                        "<dateTime>" + java.time.OffsetDateTime.now().minusMinutes(1) + "</dateTime>");
        int quarantined = count("select count(*) from quarantine");
        HttpResponse<String> r = post("/bof2/services/inputcapturewebservice", "text/xml; charset=utf-8", soap);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(count("select count(*) from nas_read where vrm = 'ZZ99SEC'")).isZero();
        assertThat(count("select count(*) from quarantine")).isEqualTo(quarantined);
        // and no other path under /bof2 leads anywhere: not a declared feed path (FeedPaths), so the console's
        // chain refuses it before anything reads the body
        assertThat(post("/bof2/services/other", "text/xml", soap).statusCode()).isIn(401, 403);
        assertThat(count("select count(*) from quarantine")).isEqualTo(quarantined);
    }

    @Test
    void aFeedOfAnotherTransportIsNotAnHttpFeedButItsTransportStillWorks() throws Exception {
        String plate = TestReads.plate();
        String read = TestReads.read(plate, java.time.Instant.now().minusSeconds(30), 2);
        // nas-json is declared for TCP (anpr.tcp.feeds.nas-json); tcp-only-nas under anpr.feeds with http=false
        assertThat(post("/ingest/nas-json", "application/json", read).statusCode()).isEqualTo(404);
        assertThat(post("/ingest/tcp-only-nas", "application/json", read).statusCode()).isEqualTo(404);
        assertThat(count("select count(*) from nas_read where vrm = ?", plate.replace(" ", ""))).isZero();

        try (Socket tcp = new Socket("localhost", tcpPort)) {
            tcp.setSoTimeout(30_000);
            tcp.getOutputStream().write((read + "\n").getBytes(StandardCharsets.UTF_8));
            tcp.getOutputStream().flush();
            String ack = new BufferedReader(new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(ack).isEqualTo("ACK 1");
        }
        assertThat(count("select count(*) from nas_read where vrm = ?", plate.replace(" ", ""))).isEqualTo(1);
    }

    @Test
    void allowlistsHoldUnderTheNewKeyAndTheDeprecatedOne() throws Exception {
        HttpResponse<String> listed = post("/ingest/listed-nas", "application/json", TestReads.read());
        assertThat(listed.statusCode()).isEqualTo(403);
        assertThat(listed.body()).contains("forbidden");
        assertThat(post("/ingest/old-style-nas", "application/json", TestReads.read()).statusCode()).isEqualTo(403);
        assertThat(warnings.lines()).anySatisfy(l -> assertThat(l).contains("old-style-nas").contains("deprecated"));
    }

    @Test
    void productionModeOpensNoConnectorIdFeed() {
        assertThat(warnings.lines()).noneSatisfy(l -> assertThat(l).contains("DEMO MODE"));
    }
}
