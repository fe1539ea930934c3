package uk.anprhub.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WildcardsTest {

    @Test
    void starIsAnyRunAndQuestionMarkOneCharacter() {
        assertThat(Wildcards.toLike("AB12*")).isEqualTo("AB12%");
        assertThat(Wildcards.toLike("*12C*")).isEqualTo("%12C%");
        assertThat(Wildcards.toLike("AB?2CDE")).isEqualTo("AB_2CDE");
        assertThat(Wildcards.toLike("A**B")).isEqualTo("A%B");
        assertThat(Wildcards.toLike("AB12CDE")).isEqualTo("AB12CDE");
    }

    @Test
    void likeSpecialsInTheInputAreLiterals() {
        assertThat(Wildcards.toLike("A%B")).isEqualTo("A\\%B");
        assertThat(Wildcards.toLike("A_B")).isEqualTo("A\\_B");
        assertThat(Wildcards.toLike("A\\B")).isEqualTo("A\\\\B");
        assertThat(Wildcards.toLike("\\*")).isEqualTo("\\\\%");
        assertThat(Wildcards.toLike("%*")).isEqualTo("\\%%"); // an escaped % followed by a real run
        assertThat(Wildcards.toLike("'; drop table x; --")).isEqualTo("'; drop table x; --"); // a parameter, never SQL
    }

    @Test
    void literalsCountsKnownCharacters() {
        assertThat(Wildcards.literals("AB*")).isEqualTo(2);
        assertThat(Wildcards.literals("*?*")).isZero();
        assertThat(Wildcards.isPattern("AB12CDE")).isFalse();
        assertThat(Wildcards.isPattern("AB1?CDE")).isTrue();
        assertThat(Wildcards.prefix("AB1?CDE")).isEqualTo(3);
        assertThat(Wildcards.prefix("*12")).isZero();
        assertThat(Wildcards.prefix("AB12CDE")).isEqualTo(7);
    }
}
