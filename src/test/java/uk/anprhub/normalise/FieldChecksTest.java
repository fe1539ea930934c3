package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ReadLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.anprhub.normalise.NormaliserFixtures.*;

/** Issue 10 items 7, 8, 17: non-finite numbers, control characters and oversize text are malformed fields. */
class FieldChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"{'confidence':1e999}", "{'confidence':'NaN'}", "{'confidence':'Infinity'}",
            "{'headingDeg':1e999}", "{'headingDeg':'-Infinity'}", "{'headingDeg':361}", "{'lane':1e12}",
            "{'lane':-1}", "{'latitude':'NaN'}", "{'longitude':1e999}", "{'ptz':{'pan':1e999}}",
            "{'latitudeDms':{'degree':'Infinity','direction':'N'}}"})
    void nonFiniteAndOutOfRangeNumbersAreMalformed(String fields) {
        ObjectNode in = base();
        in.setAll(json(fields));
        assertRejected(in, "malformed-field");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vrm", "vendorReadId", "direction", "country"})
    void controlCharactersAreRefused(String field) {
        assertRejected(base(n -> n.put(field, "AB12\u0000CDE")), "malformed-field");
        assertRejected(base(n -> n.put(field, "AB12\nCDE")), "malformed-field");
    }

    @Test
    void controlCharactersInNestedTextAreRefused() {
        assertRejected(base(n -> n.putObject("vehicle").put("make", "Ford\u0000")), "malformed-field");
        assertRejected(base(n -> ((ObjectNode) n.get("device")).put("name", "cam\u001b[2J")), "malformed-field");
        assertRejected(base(n -> n.putArray("flags").add("retransmission\u0000")), "malformed-field");
    }

    @Test
    void textFieldsAreBounded() {
        String make = "F".repeat(ReadLimits.DEFAULTS.maxText());
        assertThat(read(base(n -> n.putObject("vehicle").put("make", make))).vehicle().make()).isEqualTo(make);
        RejectedException e = rejected(base(n -> n.putObject("vehicle").put("make", make + "F")));
        assertThat(e.reason()).isEqualTo("malformed-field");
        assertThat(e.detail()).contains("vehicle.make").doesNotContain(make);
        assertRejected(base(n -> n.put("vendorReadId", "1".repeat(ReadLimits.DEFAULTS.maxId() + 1))), "malformed-field");
        assertRejected(base(n -> n.put("vrm", "AB12CDE".repeat(5))), "malformed-field");
    }

    @Test
    void finiteValuesInRangePass() {
        NasRead r = read(base(n -> n.put("headingDeg", 360).put("lane", 0).put("confidence", 1e2)));
        assertThat(r.headingDeg()).isEqualTo(360.0);
        assertThat(r.lane()).isZero();
        assertThat(r.confidencePct()).isEqualTo(100);
    }
}
