package uk.anprhub.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 14 item 8: the HTTP feed paths in one declared place, and a route elsewhere refused. */
class FeedPathsTest {

    @Test
    void aPathNamesItsFeed() {
        assertThat(FeedPaths.feedOf("/ingest/hik-north")).isEqualTo("hik-north");
        assertThat(FeedPaths.feedOf("/bof2/services/inputcapturewebservice")).isEqualTo("bof2-soap");
        assertThat(FeedPaths.feedOf("/ingest/")).isNull();
        assertThat(FeedPaths.feedOf("/ingest/a/b")).isNull();
        assertThat(FeedPaths.feedOf("/bof2/services/other")).isNull();
        assertThat(FeedPaths.feedOf("/api/v1/delivery")).isNull();
    }

    @Test
    void theSecurityChainTheFilterAndTheCheckReadTheSameList() {
        assertThat(FeedPaths.securityPatterns()).containsExactlyInAnyOrder("/ingest/**", "/bof2/services/inputcapturewebservice");
        assertThat(FeedPaths.servletPatterns()).containsExactlyInAnyOrder("/ingest/*", "/bof2/services/inputcapturewebservice");
    }

    @Test
    void aRouteAtAnUndeclaredPathIsNamedAndTheShippedOnesPass() {
        assertThat(FeedPathCheck.undeclared(List.of("/ingest/{feedId}", "/bof2/services/inputcapturewebservice",
                "bof2/services/inputcapturewebservice"))).isEmpty();
        assertThat(FeedPathCheck.undeclared(List.of("/ingest/{feedId}", "/cameras/upload", "/ingest/x/{y}")))
                .containsExactly("/cameras/upload", "/ingest/x/{y}");
    }
}
