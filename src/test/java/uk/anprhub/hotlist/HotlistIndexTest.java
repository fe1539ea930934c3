package uk.anprhub.hotlist;

import uk.anprhub.model.Confusions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HotlistIndexTest {

    private static final long NOW = 1_800_000_000_000L;

    private static HotlistIndex index() {
        return new HotlistIndex.Builder(1)
                .list(new HotlistIndex.ListInfo("stolen", "investigator", false))
                .list(new HotlistIndex.ListInfo("wanted", "investigator", true))
                .entry(1, "stolen", "AB12CDE", false, 10, null, null)
                .entry(2, "wanted", "AB12CDE", false, 5, null, null)
                .entry(3, "wanted", "XY05SOL", false, 20, null, null)
                .entry(4, "stolen", "KL*", true, 30, null, null)
                .entry(5, "stolen", "EXPIRED1", false, 1, null, NOW - 1)
                .entry(6, "stolen", "LATER1", false, 1, NOW + 1, null)
                .entry(7, "stolen", "M?N1", true, 40, null, null)
                .entry(8, "unknown-list", "ZZ99ZZZ", false, 1, null, null)
                .build();
    }

    @Test
    void exactMatchesEveryListHoldingThePlateHighestPriorityFirst() {
        List<HotlistIndex.Match> m = index().match("AB12CDE", NOW);
        assertThat(m).extracting(HotlistIndex.Match::entryId).containsExactly(2L, 1L);
        assertThat(m).extracting(HotlistIndex.Match::kind).containsOnly(HotlistIndex.EXACT);
    }

    @Test
    void wildcardsMatchWholePlatesOnly() {
        assertThat(index().match("KL99ABC", NOW)).extracting(HotlistIndex.Match::kind).containsExactly(HotlistIndex.WILDCARD);
        assertThat(index().match("AKL99", NOW)).isEmpty();
        assertThat(index().match("MAN1", NOW)).extracting(HotlistIndex.Match::entryId).containsExactly(7L);
        assertThat(index().match("MAAN1", NOW)).isEmpty();
    }

    @Test
    void fuzzyMatchesWithinOcrClassesOnListsThatAskForIt() {
        // 0/O, 5/S, 1/L confused: the wanted list is fuzzy, so XY05SOL read as XYO5S0L hits, marked fuzzy
        List<HotlistIndex.Match> m = index().match("XYO5S0L", NOW);
        assertThat(m).extracting(HotlistIndex.Match::entryId).containsExactly(3L);
        assertThat(m.get(0).kind()).isEqualTo(HotlistIndex.FUZZY);
        // the stolen list is not fuzzy: AB12CDE read as A812CDE hits only the fuzzy list's copy of it
        assertThat(index().match("A812CDE", NOW)).extracting(HotlistIndex.Match::listId).containsExactly("wanted");
        // an exact match is not repeated as fuzzy
        assertThat(index().match("XY05SOL", NOW)).extracting(HotlistIndex.Match::kind).containsExactly(HotlistIndex.EXACT);
    }

    @Test
    void validFromAndExpiryAreCheckedAtMatchTime() {
        assertThat(index().match("EXPIRED1", NOW)).isEmpty();
        assertThat(index().match("EXPIRED1", NOW - 2)).hasSize(1);
        assertThat(index().match("LATER1", NOW)).isEmpty();
        assertThat(index().match("LATER1", NOW + 1)).hasSize(1);
    }

    @Test
    void entriesOfUnknownListsAndPlatesTooLongForAKeyAreLeftOut() {
        assertThat(index().match("ZZ99ZZZ", NOW)).isEmpty();
        assertThat(index().match("ABCDEFGHJKLMNOP", NOW)).isEmpty();
        assertThat(HotlistIndex.empty().match("AB12CDE", NOW)).isEmpty();
    }

    @Test
    void keysAreDistinctForDistinctPlates() {
        assertThat(VrmKey.of("A")).isNotEqualTo(VrmKey.of("A0"));
        assertThat(VrmKey.of("AA")).isNotEqualTo(VrmKey.of("B"));
        assertThat(VrmKey.of("ZZZZZZZZZZZZ")).isPositive();
        assertThat(VrmKey.of("ZZZZZZZZZZZZZ")).isEqualTo(VrmKey.NONE);
        assertThat(VrmKey.of("ab")).isEqualTo(VrmKey.NONE);
    }

    @Test
    void manyEntriesOnTheSameAndDifferentKeysAllFound() {
        HotlistIndex.Builder b = new HotlistIndex.Builder(1).list(new HotlistIndex.ListInfo("l", "ops", true));
        for (int i = 0; i < 100_000; i++) {
            b.entry(i, "l", "P" + i, false, i % 101, null, null);
        }
        HotlistIndex idx = b.build();
        assertThat(idx.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i += 997) {
            assertThat(idx.match("P" + i, NOW)).extracting(HotlistIndex.Match::entryId).contains((long) i);
        }
        assertThat(idx.match("Q1", NOW)).isEmpty();
    }

    @Test
    void ocrClassesMapEachConfusionToOneKey() {
        assertThat(Confusions.canonical("0ODQ1IL8B5S2Z6GA")).isEqualTo("000011188552266A");
    }

    @Test
    void eachMarkerOfAPartlyReadPlateStandsForOneCharacterOfAnExactEntryMarkedPartial() {
        // AB12CDE read with its B unreadable: both lists' exact entries, marked partial, highest priority first
        List<HotlistIndex.Match> m = index().match("A?12CDE", NOW);
        assertThat(m).extracting(HotlistIndex.Match::entryId).containsExactly(2L, 1L);
        assertThat(m).extracting(HotlistIndex.Match::kind).containsOnly(HotlistIndex.PARTIAL);
        // every marker the contract names, as sent (spaces and lower case too), two at most
        for (String asRead : List.of("AB12 CD?", "ab12cd*", "_B12CDE", "AB#2CDE", "AB12C\uFFFDE", "A?12C?E", "?B12CD?")) {
            assertThat(index().match(asRead, NOW)).as(asRead).extracting(HotlistIndex.Match::entryId).containsExactly(2L, 1L);
        }
    }

    @Test
    void aMarkerStandsForExactlyOneCharacterNotForARunNorForNothing() {
        assertThat(index().match("AB12CD?E", NOW)).as("one character too many").isEmpty();
        assertThat(index().match("AB12?", NOW)).as("a marker is not a wildcard run").isEmpty();
        assertThat(index().match("A?12CDF", NOW)).as("the readable characters must agree").isEmpty();
    }

    @Test
    void moreThanTwoMarkersOrMarkersOnlyNeverHit() {
        assertThat(HotlistIndex.MAX_MARKERS).isEqualTo(2);
        assertThat(index().match("A?1?C?E", NOW)).as("three markers").isEmpty();
        HotlistIndex shortPlates = new HotlistIndex.Builder(1).list(new HotlistIndex.ListInfo("l", "ops", false))
                .entry(1, "l", "A1", false, 1, null, null).entry(2, "l", "B", false, 1, null, null).build();
        assertThat(shortPlates.match("??", NOW)).as("markers only").isEmpty();
        assertThat(shortPlates.match("?", NOW)).isEmpty();
        assertThat(shortPlates.match("A?", NOW)).extracting(HotlistIndex.Match::entryId).containsExactly(1L);
    }

    @Test
    void aPartlyReadPlateIsMatchedAgainstExactEntriesOnlyAndStillHonoursValidity() {
        assertThat(index().match("KL99AB?", NOW)).as("wildcards are not tried with markers").isEmpty();
        assertThat(index().match("XYO5S0?", NOW)).as("nor fuzzy keys").isEmpty();
        assertThat(index().match("XY05SO?", NOW)).extracting(HotlistIndex.Match::entryId).containsExactly(3L);
        assertThat(index().match("EXPIRED?", NOW)).isEmpty();
        assertThat(index().match("EXPIRED?", NOW - 2)).extracting(HotlistIndex.Match::kind).containsExactly(HotlistIndex.PARTIAL);
        assertThat(index().match("ZZ99ZZ?", NOW)).as("an entry of an unknown list is not indexed").isEmpty();
    }

    @Test
    void aPlateWithoutMarkersIsMatchedAsBefore() {
        assertThat(HotlistIndex.hasMarker("AB12CDE")).isFalse();
        assertThat(HotlistIndex.hasMarker("AB12CD?")).isTrue();
        assertThat(index().matchPartial("AB12 CDE", NOW)).extracting(HotlistIndex.Match::kind)
                .containsOnly(HotlistIndex.EXACT);
    }
}
