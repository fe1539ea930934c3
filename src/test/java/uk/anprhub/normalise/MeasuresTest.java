package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import uk.anprhub.model.NasRead;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Contract section 4.4: confidence in percent, and the read's position, else its camera's ({@link Measures}). */
class MeasuresTest {

    @Nested
    class Confidence {

        static Stream<Arguments> scales() {
            return Stream.of(
                    Arguments.of(0.97, 1, 97),
                    Arguments.of("0.97", "1", 97),
                    Arguments.of(0.285, 1, 29), // half up, even where 0.285 * 100 is 28.4999... in binary
                    Arguments.of(0.005, 1, 1),
                    Arguments.of(1, 1, 100),
                    Arguments.of(0, 1, 0),
                    Arguments.of(97, 100, 97),
                    Arguments.of("97", 100, 97),
                    Arguments.of(97.5, 100, 98),
                    Arguments.of(97.4, 100, 97),
                    Arguments.of(100, 100, 100),
                    Arguments.of(97.5, null, 98), // no scale: 0-100
                    Arguments.of(975, 1000, 98),
                    Arguments.of(974, 1000, 97),
                    Arguments.of(999, 1000, 100),
                    Arguments.of(0, 1000, 0),
                    Arguments.of("-", 100, null),
                    Arguments.of("", 1, null),
                    Arguments.of(null, 100, null));
        }

        @ParameterizedTest(name = "{0} on scale {1} -> {2}")
        @MethodSource("scales")
        void isAnIntegerPercent(Object value, Object scale, Integer pct) {
            ObjectNode in = base();
            if (value != null) in.set("confidence", JSON.valueToTree(value));
            if (scale != null) in.set("confidenceScale", JSON.valueToTree(scale));
            assertThat(read(in).confidencePct()).isEqualTo(pct);
        }

        @ParameterizedTest(name = "{0} on scale {1}")
        @CsvSource({"101,100", "-1,100", "1.01,1", "-0.1,1", "100.5,100", "1200,1000", "high,100"})
        void outOfRangeOrNotANumberIsMalformed(String value, String scale) {
            assertRejected(base(n -> n.put("confidence", value).put("confidenceScale", scale)), "malformed-field");
        }
    }

    @Nested
    class Location {

        @Test
        void theReadsOwnDecimalsWin() {
            NasRead r = read(base(n -> n.put("latitude", 52.1).put("longitude", "-1.25")));
            assertThat(r.latitude()).isEqualTo(52.1);
            assertThat(r.longitude()).isEqualTo(-1.25);
        }

        @Test
        void degreesMinutesSecondsNorthAndWest() {
            ObjectNode in = base();
            in.putObject("latitudeDms").put("degree", 51).put("minute", 30).put("sec", 26.64).put("direction", "N");
            in.putObject("longitudeDms").put("degree", "0").put("minute", "7").put("sec", "39.96").put("direction", "W");
            NasRead r = read(in);
            assertThat(r.latitude()).isEqualTo(51.5074);
            assertThat(r.longitude()).isEqualTo(-0.127767); // 6 decimal places
        }

        @Test
        void degreesMinutesSecondsSouthAndEast() {
            ObjectNode in = base();
            in.putObject("latitudeDms").put("degree", 33).put("minute", 52).put("sec", 4.8).put("direction", "S");
            in.putObject("longitudeDms").put("degree", 151).put("minute", 12).put("sec", 36).put("direction", "e");
            NasRead r = read(in);
            assertThat(r.latitude()).isEqualTo(-33.868);
            assertThat(r.longitude()).isEqualTo(151.21);
        }

        @Test
        void decimalsBeatDms() {
            ObjectNode in = base(n -> n.put("latitude", 52.0).put("longitude", -1.0));
            in.putObject("latitudeDms").put("degree", 10).put("direction", "N");
            in.putObject("longitudeDms").put("degree", 10).put("direction", "E");
            NasRead r = read(in);
            assertThat(r.latitude()).isEqualTo(52.0);
            assertThat(r.longitude()).isEqualTo(-1.0);
        }

        @Test
        void elseTheCameraSite() {
            NasRead r = read(base());
            assertThat(r.latitude()).isEqualTo(51.5194);
            assertThat(r.longitude()).isEqualTo(-0.2196);
        }

        @Test
        void noSiteNoLocation() {
            NasRead r = read(json("{'vrm':'AB12CDE','time':'2024-07-15T12:00:00Z','device':{'serial':'SERIAL2'}}"));
            assertThat(r.latitude()).isNull();
            assertThat(r.longitude()).isNull();
        }

        @Test
        void outOfRangeOrNotANumberIsMalformed() {
            assertRejected(base(n -> n.put("latitude", 91).put("longitude", 0)), "malformed-field");
            assertRejected(base(n -> n.put("latitude", 0).put("longitude", -180.5)), "malformed-field");
            assertRejected(base(n -> n.put("latitude", "north").put("longitude", 0)), "malformed-field");
            ObjectNode dms = base();
            dms.putObject("latitudeDms").put("degree", 95).put("direction", "S");
            assertRejected(dms, "malformed-field");
        }
    }
}
