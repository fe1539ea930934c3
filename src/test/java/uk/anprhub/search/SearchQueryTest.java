package uk.anprhub.search;

import uk.anprhub.model.Confusions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchQueryTest {

    static final SearchProperties LIMITS = new SearchProperties(50, 200, 100, 2, 100_000, 1000, Duration.ofMinutes(10), 2000, 200);
    static final Duration WEEK = Duration.ofDays(7);

    static SearchRequest request(String vrm, String from, String to) {
        return new SearchRequest(vrm, null, from, to, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void thePlateIsNormalisedLikeTheStoreKeepsIt() {
        SearchQuery q = SearchQuery.of(request(" ab12 cde", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), LIMITS, WEEK);
        assertThat(q.vrm()).isEqualTo("AB12CDE");
        assertThat(q.pageSize()).isEqualTo(50);
        assertThat(q.from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void outOfBoundsIsRefusedWithoutQuotingThePlate() {
        assertThatThrownBy(() -> SearchQuery.of(request("AB12CDE", null, "2026-01-02T00:00:00Z"), LIMITS, WEEK))
                .hasMessageContaining("from is required");
        assertThatThrownBy(() -> SearchQuery.of(request("AB12CDE", "2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z"), LIMITS, WEEK))
                .hasMessageContaining("retention window");
        assertThatThrownBy(() -> SearchQuery.of(request("AB%12", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), LIMITS, WEEK))
                .isInstanceOf(SearchRefusedException.class).message().doesNotContain("AB");
        assertThatThrownBy(() -> SearchQuery.of(request("A*", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), LIMITS, WEEK))
                .hasMessageContaining("at least 2 known characters");
        assertThatThrownBy(() -> SearchQuery.of(request("X".repeat(21), "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), LIMITS, WEEK))
                .hasMessageContaining("at most 20");
        assertThatThrownBy(() -> SearchQuery.of(request(null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), LIMITS, WEEK))
                .hasMessageContaining("give a vrm");
        assertThatThrownBy(() -> SearchQuery.of(new SearchRequest("AB12CDE", null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                java.util.Collections.nCopies(101, "C"), null, null, null, null, null, null, null, null, null), LIMITS, WEEK))
                .hasMessageContaining("cameras: at most 100");
        assertThatThrownBy(() -> SearchQuery.of(new SearchRequest("AB12CDE", null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                null, null, null, 201, null, null, null, null, null, null), LIMITS, WEEK))
                .hasMessageContaining("pageSize");
        assertThatThrownBy(() -> SearchQuery.of(new SearchRequest("AB12CDE", null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                null, null, List.of(52.0, 0.0, 51.0, 1.0), null, null, null, null, null, null, null), LIMITS, WEEK))
                .hasMessageContaining("bbox");
        assertThatThrownBy(() -> SearchQuery.of(new SearchRequest("AB12CDE", null, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                null, null, null, null, "not-a-cursor", null, null, null, null, null), LIMITS, WEEK))
                .hasMessageContaining("cursor");
    }

    @Test
    void theCursorComesBackAsItWasGiven() {
        Cursor c = new Cursor(Instant.parse("2026-01-01T10:11:12.345Z"), 42);
        assertThat(Cursor.parse(c.token())).isEqualTo(c);
    }

    @Test
    void eachKindOfPlateSearchIsAParameterisedConditionOnItsIndexedExpression() {
        SearchQuery exact = SearchQuery.of(request("AB12CDE", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), LIMITS, WEEK);
        assertThat(ReadFilter.of(exact).where()).contains("r.vrm = ?").doesNotContain("AB12CDE");
        SearchQuery fuzzy = new SearchQuery("AB12CDE", true, exact.from(), exact.to(), List.of(), null, null, 50, null);
        assertThat(ReadFilter.of(fuzzy).where()).contains(Confusions.sql("r.vrm") + " = ?");
        assertThat(ReadFilter.of(fuzzy).params()).contains("A812C0E");
        SearchQuery wild = new SearchQuery("AB1?C*", false, exact.from(), exact.to(), List.of(), null, null, 50, null);
        assertThat(ReadFilter.of(wild).where()).contains(Confusions.sql("r.vrm") + " like ? escape '\\'", "r.vrm like ? escape '\\'");
        assertThat(ReadFilter.of(wild).params()).contains("A81_C%", "AB1_C%");
        // a known prefix shorter than 3: ILIKE, which only the trigram index serves (no btree range over every "AB...")
        SearchQuery shortPrefix = new SearchQuery("AB?2CDE", false, exact.from(), exact.to(), List.of(), null, null, 50, null);
        assertThat(ReadFilter.of(shortPrefix).where()).contains(Confusions.sql("r.vrm") + " ilike ? escape '\\'", "r.vrm ilike ? escape '\\'");
    }
}
