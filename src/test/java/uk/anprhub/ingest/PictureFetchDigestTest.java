package uk.anprhub.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP Digest for picture requests, against the worked example of RFC 7616 section 3.9.1. */
class PictureFetchDigestTest {

    private static final String CHALLENGE = "realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=%s, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    private static Map<String, String> answer(String algorithm) {
        String header = PictureFetchDigest.authorization(List.of("Basic realm=\"x\"", "Digest " + CHALLENGE.formatted(algorithm)),
                "GET", "/dir/index.html", "Mufasa", "Circle of Life", CNONCE);
        assertThat(header).startsWith("Digest ").doesNotContain("Circle of Life");
        return PictureFetchDigest.params(header.substring(7));
    }

    @Test
    void theRfcExampleGivesTheRfcResponseWithMd5AndSha256() {
        Map<String, String> md5 = answer("MD5");
        assertThat(md5.get("response")).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(md5).containsEntry("qop", "auth").containsEntry("nc", "00000001").containsEntry("uri", "/dir/index.html")
                .containsEntry("username", "Mufasa").containsEntry("opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
        assertThat(answer("SHA-256").get("response"))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void onlyADigestChallengeIsAnswered() {
        assertThat(PictureFetchDigest.authorization(List.of("Basic realm=\"cam\""), "GET", "/a", "u", "p")).isNull();
        assertThat(PictureFetchDigest.authorization(List.of("Digest realm=\"cam\", nonce=\"n\", algorithm=SHA-512-256"),
                "GET", "/a", "u", "p")).isNull();
        assertThat(PictureFetchDigest.authorization(List.of("Digest realm=\"cam\", nonce=\"n\""), "GET", "/a", "u", "p"))
                .as("RFC 2069, no qop").contains("response=\"").doesNotContain("qop=");
    }
}
