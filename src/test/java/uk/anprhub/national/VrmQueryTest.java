package uk.anprhub.national;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plate of a national search: normalised, wildcards recognised, sweeping or odd patterns refused. */
class VrmQueryTest {

    @Test
    void spacesGoCaseFoldsAndWildcardsAreRecognised() {
        assertThat(VrmQuery.parse(" ab12 cde ")).isEqualTo(new VrmQuery("AB12CDE", false));
        assertThat(VrmQuery.parse("AB12**?E")).isEqualTo(new VrmQuery("AB12*?E", true));
        assertThat(VrmQuery.parse("AB1*").match()).isEqualTo("wildcard");
    }

    @Test
    void aWildcardNamingFewerThanThreeCharactersOrOtherSymbolsAreRefused() {
        assertThatThrownBy(() -> VrmQuery.parse("A*?")).hasMessageContaining("at least 3");
        assertThatThrownBy(() -> VrmQuery.parse("AB%12")).hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> VrmQuery.parse("")).hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> VrmQuery.parse(null)).hasMessageContaining("letters and digits");
    }
}
