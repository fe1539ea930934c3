package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead.ImageRef;
import uk.anprhub.model.VendorRead;
import uk.anprhub.normalise.Normaliser.Normalised;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/**
 * Contract sections 1 and 4.6: an image the mapping gives as {@code {"ref": ...}} becomes a URL from the connector's
 * {@code pictures.url} template on the camera's registry address, else the sender's — never on an address the payload
 * chooses.
 */
class PictureRefsTest {

    private static final String TEMPLATE = "http://{camera}/doc/ui/images/plate/{ref}.jpg";

    private static Normalised normalise(ObjectNode in, String template, String sender) throws Exception {
        RawMessage m = new RawMessage(PAYLOAD, "hik-feed", "hikvision-pull", "http", "application/xml", Map.of(),
                sender, null, null, NOW);
        return new Normaliser(REGISTRY, POLICY).normalise(JSON.treeToValue(in, VendorRead.class), VENDOR, template, m,
                Map.of(), false);
    }

    @Test
    void theCamerasRegistryAddressIsUsedNotTheSenders() throws Exception {
        ObjectNode in = base(); // camera LONDON by serial; registered ip 10.0.0.1, posting through a NAT
        in.putObject("plateImage").put("ref", "202004241616278800").put("contentType", "image/jpeg");
        Normalised n = normalise(in, TEMPLATE, "192.0.2.9");
        assertThat(n.read().plateImage())
                .isEqualTo(new ImageRef("image/jpeg", null, null, "http://10.0.0.1/doc/ui/images/plate/202004241616278800.jpg"));
        assertThat(n.pictureHost()).as("the address the fetcher may ask").isEqualTo("10.0.0.1");
        assertThat(n.plateImage()).isNull();
    }

    @Test
    void aCameraWithoutARegisteredAddressIsAskedAtTheSendersAddress() throws Exception {
        ObjectNode in = base(r -> r.putObject("device").put("serial", "SERIAL2")); // BARE: no ip
        in.putObject("overviewImage").put("ref", "a b/ü.jpg");
        assertThat(normalise(in, "https://{camera}:8443/pics?name={ref}", "fd00::7").read().overviewImage().url())
                .isEqualTo("https://[fd00::7]:8443/pics?name=a%20b/%C3%BC.jpg");
    }

    @Test
    void aRefCannotNameAnotherHostOrLeaveThePath() throws Exception {
        ObjectNode in = base();
        in.putObject("plateImage").put("ref", "@169.254.169.254:80/../x?y#z\\w");
        assertThat(normalise(in, "http://{camera}/{ref}", "10.0.0.1").read().plateImage().url())
                .isEqualTo("http://10.0.0.1/%40169.254.169.254%3A80/%2E%2E/x%3Fy%23z%5Cw");
        assertThat(java.net.URI.create(normalise(in, "http://{camera}/{ref}", "10.0.0.1").read().plateImage().url()).getHost())
                .isEqualTo("10.0.0.1");
    }

    @Test
    void aRefWithoutATemplateIsAMappingFailure() {
        ObjectNode in = base();
        in.putObject("plateImage").put("ref", "1.jpg");
        assertThatThrownBy(() -> normalise(in, null, "10.0.0.1")).isInstanceOf(RejectedException.class)
                .hasMessageContaining("pictures.url");
    }

    @Test
    void aUrlOfTheMappingIsKeptAsItIsAndNoHostIsRecorded() throws Exception {
        ObjectNode in = base();
        in.putObject("plateImage").put("url", "http://10.0.0.1/a.jpg");
        Normalised n = normalise(in, TEMPLATE, "10.0.0.1");
        assertThat(n.read().plateImage().url()).isEqualTo("http://10.0.0.1/a.jpg");
        assertThat(n.pictureHost()).isNull();
    }

    @Test
    void onlyTemplatesOnTheCamerasAddressWithOneRefInThePathLoad() {
        assertThat(uk.anprhub.connector.PictureUrls.checkTemplate(TEMPLATE)).isNull();
        assertThat(uk.anprhub.connector.PictureUrls.checkTemplate("http://{camera}:8592/{ref}")).isNull();
        for (String bad : new String[]{"http://vms.example/{ref}", "http://{camera}{ref}", "http://{ref}/x",
                "http://{camera}/x", "ftp://{camera}/{ref}", "http://{camera}/{ref}#{ref}", "http://{camera}/{ref}/{other}",
                "http://{camera}@evil/{ref}"}) {
            assertThat(uk.anprhub.connector.PictureUrls.checkTemplate(bad)).as(bad).isNotNull();
        }
    }
}
