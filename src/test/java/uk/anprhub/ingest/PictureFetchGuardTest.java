package uk.anprhub.ingest;

import org.junit.jupiter.api.Test;
import uk.anprhub.connector.PictureUrls;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSRF guard of picture fetches without a socket: hostile references from a payload always end up as a path on
 * the camera's own address, and URLs that try to smuggle another host past a string comparison are refused.
 */
class PictureFetchGuardTest {

    private static final List<String> HOSTILE_REFS = List.of(
            "x@10.9.9.9/p.jpg", "//10.9.9.9/p.jpg", "http://10.9.9.9/p.jpg", "..\\..\\p.jpg", "%2e%2e/%2e%2e/p.jpg",
            "../../p.jpg", "p.jpg?x=1#frag", "p.jpg\r\nHost: 10.9.9.9", "[::1]:80/p.jpg", ":@10.9.9.9",
            "\u0000/p.jpg", "é/../p.jpg", "p".repeat(2000));

    @Test
    void aHostileReferenceStaysAPathOnTheCamera() {
        for (String camera : List.of("10.0.0.5", "fe80::1", "cam-7.force.local")) {
            for (String template : List.of("http://{camera}/{ref}", "http://{camera}:8080/pic?name={ref}")) {
                for (String ref : HOSTILE_REFS) {
                    String url = PictureUrls.resolve(template, camera, ref);
                    URI uri = URI.create(url);
                    assertThat(PictureFetcher.allowed(uri, camera, List.of())).as(url).isTrue();
                    assertThat(uri.getRawUserInfo()).as(url).isNull();
                    assertThat(uri.getRawFragment()).as(url).isNull();
                    assertThat(url).as(url).doesNotContain("\r", "\n", "\\", "/../", "/./");
                    assertThat(PictureFetcher.allowed(uri, "10.9.9.9", List.of())).as("not another sender").isFalse();
                }
            }
        }
    }

    @Test
    void urlsThatTryToNameAnotherHostAreRefused() {
        String camera = "10.0.0.5";
        for (String url : List.of("http://10.0.0.5@10.9.9.9/a.jpg", "http://10.9.9.9#@10.0.0.5/a.jpg",
                "http://10.0.0.5.nip.io/a.jpg", "http://010.0.0.5/a.jpg", "http://0x0a000005/a.jpg",
                "http://167772165/a.jpg", "http://[::ffff:10.0.0.5]/a.jpg", "ftp://10.0.0.5/a.jpg",
                "jar:http://10.0.0.5/a.jar!/a.jpg", "HTTP://10.0.0.5:@10.9.9.9/a.jpg", "http:/10.0.0.5/a.jpg",
                "//10.0.0.5/a.jpg")) {
            assertThat(allowedOrUnparsable(url, camera)).as(url).isFalse();
        }
        assertThat(allowedOrUnparsable("HTTP://10.0.0.5:8080/a.jpg", camera)).as("scheme and port are free").isTrue();
        assertThat(allowedOrUnparsable("http://10.0.0.5\\@10.9.9.9/a.jpg", camera)).as("a backslash").isFalse();
    }

    private static boolean allowedOrUnparsable(String url, String camera) {
        try {
            return PictureFetcher.allowed(URI.create(url), camera, List.of());
        } catch (IllegalArgumentException e) {
            return false; // the fetcher refuses it as bad-url
        }
    }
}
