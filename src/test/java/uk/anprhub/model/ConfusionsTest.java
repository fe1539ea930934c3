package uk.anprhub.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfusionsTest {

    @Test
    void eachClassMapsToItsRepresentative() {
        assertThat(Confusions.canonical("0ODQ")).isEqualTo("0000");
        assertThat(Confusions.canonical("1IL")).isEqualTo("111");
        assertThat(Confusions.canonical("8B5S2Z6G")).isEqualTo("88552266");
        assertThat(Confusions.canonical("ACEFHJKMNPRTUVWXY34679")).isEqualTo("ACEFHJKMNPRTUVWXY34679");
        assertThat(Confusions.canonical("")).isEmpty();
        assertThat(Confusions.canonical(null)).isNull();
    }

    @Test
    void aPlateReadWithConfusionsHasTheSameCanonicalForm() {
        assertThat(Confusions.canonical("AB12CDE")).isEqualTo(Confusions.canonical("A812CDE")).isEqualTo("A812C0E");
        assertThat(Confusions.canonical("SL05XYZ")).isEqualTo(Confusions.canonical("5I0SXY2"));
        assertThat(Confusions.canonical("AB12CDE")).isNotEqualTo(Confusions.canonical("AB12CDF"));
    }

    @Test
    void wildcardsAndSqlSpecialsAreNotInAnyClass() {
        assertThat(Confusions.canonical("*?%_\\'")).isEqualTo("*?%_\\'");
    }

    @Test
    void theSqlExpressionIsTheOneTheMigrationIndexes() throws Exception {
        assertThat(Confusions.FROM).isEqualTo("ODQILBSZG");
        assertThat(Confusions.TO).isEqualTo("000118526");
        assertThat(Confusions.sql("r.vrm")).isEqualTo("translate(r.vrm, 'ODQILBSZG', '000118526')");
        String migration = Files.readString(Path.of("src/main/resources/db/migration/V5__search.sql"));
        assertThat(migration).contains("(" + Confusions.sql("vrm") + ")")
                .contains("(" + Confusions.sql("vrm").replace("'", "''") + ")");
    }
}
