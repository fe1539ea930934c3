package uk.anprhub.normalise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import uk.anprhub.model.NasRead.Direction;
import uk.anprhub.model.NasRead;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract section 4.4: direction words and the camera's own map ({@link Directions}). */
class DirectionsTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"forward,TOWARDS", "Forward,TOWARDS", "' FORWARD ',TOWARDS", "reverse,AWAY",
            "in,AWAY", // the camera's map wins over the common words
            "approach,TOWARDS", "out,AWAY", "sideways,UNKNOWN"})
    void theCameraMapComesFirst(String raw, Direction expected) {
        NasRead r = read(base(n -> n.put("direction", raw)));
        assertThat(r.direction()).isEqualTo(expected);
        assertThat(r.directionRaw()).isEqualTo(raw);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"towards,TOWARDS", "toward,TOWARDS", "Approach,TOWARDS", "approaching,TOWARDS", "in,TOWARDS",
            "IN,TOWARDS", "1,TOWARDS", "away,AWAY", "Moving Away,AWAY", "out,AWAY", "goaway,AWAY", "2,AWAY",
            "unknown,UNKNOWN", "0,UNKNOWN", "forward,UNKNOWN", "Obverse,UNKNOWN"})
    void thenCommonWords(String raw, Direction expected) {
        NasRead r = read(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'SERIAL2'}}")
                .put("direction", raw));
        assertThat(r.direction()).isEqualTo(expected);
        assertThat(r.directionRaw()).isEqualTo(raw);
    }

    @Test
    void aNumericDirectionIsAWord() {
        assertThat(read(base(n -> n.put("direction", 2))).direction()).isEqualTo(Direction.AWAY);
    }

    @Test
    void noDirectionIsAbsentNotUnknown() {
        NasRead r = read(base(n -> n.put("direction", "-")));
        assertThat(r.direction()).isNull();
        assertThat(r.directionRaw()).isNull();
    }
}
