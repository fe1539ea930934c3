package uk.anprhub.hotlist;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvImportTest {

    private static List<Entry> parse(String csv, boolean delta) throws IOException {
        return CsvImport.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), delta, 1_000_000, 1_000);
    }

    @Test
    void readsTheDocumentedColumnsInAnyOrder() throws IOException {
        List<Entry> e = parse("""
                category,vrm,priority,markers,instructions,valid_from,expiry,source
                stolen,ab12 cde,5,FI;WE,"Stop, and ""check"" the driver",2026-01-01,2027-01-31,PNC
                wanted,KL*,,,,,2027-01-31T12:00:00Z,
                """, false);
        assertThat(e).hasSize(2);
        assertThat(e.get(0).vrm()).isEqualTo("AB12CDE");
        assertThat(e.get(0).wildcard()).isFalse();
        assertThat(e.get(0).priority()).isEqualTo(5);
        assertThat(e.get(0).markers()).containsExactly("FI", "WE");
        assertThat(e.get(0).instructions()).isEqualTo("Stop, and \"check\" the driver");
        assertThat(e.get(0).validFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(e.get(0).expiry()).as("a date: to the end of that day").isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(e.get(1).wildcard()).isTrue();
        assertThat(e.get(1).priority()).isEqualTo(Entry.DEFAULT_PRIORITY);
    }

    @Test
    void everyBadLineIsNamedAndNoPlateIsQuoted() {
        assertThatThrownBy(() -> parse("""
                vrm,category,priority
                AB12CDE,stolen,5
                SECRET1,stolen,101
                ,stolen,1
                SECRET2,,1
                *,stolen,1
                AB12CDE,wanted,1
                "SECRET3,stolen,1
                """, false))
                .isInstanceOfSatisfying(CsvImport.Refused.class, r -> {
                    assertThat(r.count()).isEqualTo(6);
                    assertThat(r.problems()).extracting(p -> p.substring(0, p.indexOf(':')))
                            .containsExactly("line 3", "line 4", "line 5", "line 6", "line 7", "line 8");
                    assertThat(String.join(" ", r.problems())).doesNotContain("SECRET", "AB12CDE");
                });
    }

    @Test
    void theHeaderIsChecked() {
        assertThatThrownBy(() -> parse("plate,category\nAB1,x\n", false)).isInstanceOf(CsvImport.Refused.class)
                .hasMessageContaining("line 1: unknown column 'plate'").hasMessageContaining("vrm column is required");
        assertThatThrownBy(() -> parse("vrm,category,action\nAB1,x,add\n", false)).isInstanceOf(CsvImport.Refused.class)
                .hasMessageContaining("delta import only");
        assertThatThrownBy(() -> parse("", false)).isInstanceOf(CsvImport.Refused.class);
    }

    @Test
    void aDeltaCanRemove() throws IOException {
        List<Entry> e = parse("vrm,category,action\nAB1,stolen,add\nCD2,,remove\n", true);
        assertThat(e).extracting(Entry::removal).containsExactly(false, true);
    }

    @Test
    void sizeAndLinesAreBounded() {
        String csv = "vrm,category\n" + "AB1,x\n".repeat(10);
        assertThatThrownBy(() -> CsvImport.parse(new ByteArrayInputStream(csv.getBytes()), false, 20, 1_000))
                .isInstanceOf(CsvImport.TooLarge.class);
        assertThatThrownBy(() -> CsvImport.parse(new ByteArrayInputStream(csv.getBytes()), false, 1_000, 5))
                .isInstanceOf(CsvImport.TooLarge.class);
    }
}
