package uk.anprhub.normalise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract section 4.4: the country as ISO 3166-1 alpha-3 ({@link Countries}). */
class CountriesTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(nullValues = "null", value = {
            "GBR,GBR", "gbr,GBR", "GB,GBR", "gb,GBR", "UK,GBR", "uk,GBR", "' gb ',GBR", "gb-eng,GBR",
            "us-ca,USA", "US-CA,USA", "17,GBR", "FRA,FRA", "de,DEU", "IRL,IRL",
            "unknown,null", "XX,null", "ZZZ,null", "99,null", "-,null", "'',null", "G,null", "1a,null"})
    void becomesAlpha3OrNull(String raw, String alpha3) {
        assertThat(Countries.toAlpha3(raw)).isEqualTo(alpha3);
        assertThat(read(base(n -> n.put("country", raw))).countryCode()).isEqualTo(alpha3);
    }

    @Test
    void aHikvisionNumberMayBeAJsonNumber() {
        assertThat(read(base(n -> n.put("country", 17))).countryCode()).isEqualTo("GBR");
        assertThat(read(base()).countryCode()).isNull();
        assertThat(Countries.toAlpha3(null)).isNull();
    }
}
