package uk.anprhub.normalise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.CanonicalSchema;
import uk.anprhub.model.NasRead;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract section 4.2: the clean VRM, no-plate markers and partly read plates ({@link VrmRule}). */
class VrmRuleTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "AB12CDE|AB12CDE",
            "AB12 CDE|AB12CDE",
            "'  AB12   CDE  '|AB12CDE",
            "AB-12-CDE|AB12CDE",
            "ab12 cde|AB12CDE",
            "Ab12.cDe|AB12CDE",
            "ÅB12 ÇDÉ|AB12CDE",
            "MÜNCHEN 123|MUNCHEN123",
            "B-ÄÖ 1234|BAO1234",
            "1234|1234",
            "ABCDEFGHIJKLMNOP|ABCDEFGHIJKLMNOP"})
    void isCleanedAndTheOriginalKept(String asRead, String vrm) {
        NasRead r = read(base(n -> n.put("vrm", asRead)));
        assertThat(r.vrm()).isEqualTo(vrm);
        assertThat(r.vrmAsRead()).isEqualTo(asRead);
    }

    @Test
    void aNumericVrmIsText() {
        assertThat(read(base(n -> n.put("vrm", 1234))).vrm()).isEqualTo("1234");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNKNOWN", "unknown", "NoPlate", "No Plate", "NOPLATE", "Not defined", "NOTDEFINED",
            "NONE", "none", "NULL", "null", "NA", "N/A", "n.a.", "?", "???", "--", "NOREAD", "No Read", "UNREAD", "***"})
    void noPlateMarkersAreQuarantinedAsNoPlate(String marker) {
        assertRejected(base(n -> n.put("vrm", marker)), "no-plate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "-", " - "})
    void aBlankVrmIsMissing(String blank) {
        assertRejected(base(n -> n.put("vrm", blank)), "missing-vrm");
    }

    @Test
    void anAbsentOrNullVrmIsMissing() {
        assertRejected(base(n -> n.remove("vrm")), "missing-vrm");
        assertRejected(base(n -> n.putNull("vrm")), "missing-vrm");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"AB12CD?", "AB?2CDE", "?B12CDE", "AB12 CD*", "AB12_CDE", "AB12#CDE", "AB12CD\uFFFD",
            "ab12 cd??", "AB-12-CD?"})
    void aPartlyReadPlateIsQuarantinedNotShortened(String asRead) {
        RejectedException e = rejected(base(n -> n.put("vrm", asRead)));
        assertThat(e.reason()).isEqualTo("partial-vrm");
        assertThat(e.detail()).contains("vrmGuess").doesNotContain("AB12").doesNotContain("CD");
    }

    @Test
    void theVendorsBestGuessIsStoredWithAFlagAndTheMarkerKept() {
        NasRead r = read(base(n -> n.put("vrm", "AB12 CD?").put("vrmGuess", "AB12 CDE")));
        assertThat(r.vrm()).isEqualTo("AB12CDE");
        assertThat(r.vrmAsRead()).isEqualTo("AB12 CD?");
        assertThat(r.flags()).containsExactly("vrm-best-guess");
        assertThat(r.idempotencyKey()).isEqualTo("MPS-HIK-0001:AB12CDE:" + Instant.parse("2024-07-15T12:00:00Z").toEpochMilli());
        assertThat(CanonicalSchema.errors(r)).isEmpty();
    }

    @Test
    void aBestGuessWithMarkersIsStillPartial() {
        assertRejected(base(n -> n.put("vrm", "AB12CD?").put("vrmGuess", "AB12C??")), "partial-vrm");
        assertRejected(base(n -> n.put("vrm", "AB12CD?").put("vrmGuess", "")), "partial-vrm");
        assertRejected(base(n -> n.put("vrm", "AB12CD?").put("vrmGuess", "-")), "partial-vrm");
    }

    @Test
    void aCompleteReadIgnoresTheGuess() {
        NasRead r = read(base(n -> n.put("vrm", "AB12CDE").put("vrmGuess", "AB12CDF")));
        assertThat(r.vrm()).isEqualTo("AB12CDE");
        assertThat(r.flags()).isNull();
    }

    @Test
    void aPlateOfMarkersOnlyIsNoPlateWhateverTheGuess() {
        assertRejected(base(n -> n.put("vrm", "??????").put("vrmGuess", "AB12CDE")), "no-plate");
        assertRejected(base(n -> n.put("vrm", "******")), "no-plate"); // Genetec's masked plate
    }

    @Test
    void moreThan16CharactersIsInvalid() {
        RejectedException e = rejected(base(n -> n.put("vrm", "ABCDEFGHIJKLMNOPQ")));
        assertThat(e.reason()).isEqualTo("invalid-vrm");
        assertThat(e.detail()).contains("17").contains("16");
        // separators do not count
        assertThat(read(base(n -> n.put("vrm", "ABCD-EFGH IJKL-MNOP"))).vrm()).isEqualTo("ABCDEFGHIJKLMNOP");
    }
}
