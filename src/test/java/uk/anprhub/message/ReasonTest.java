package uk.anprhub.message;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The quarantine reasons the hub knows are exactly those docs/connector-contract.md section 6 documents. */
class ReasonTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\|");

    @Test
    void everyReasonIsDocumentedAndEveryDocumentedReasonExists() throws IOException {
        Set<String> documented = documented();
        Set<String> known = new LinkedHashSet<>(Arrays.stream(Reason.values()).map(Reason::code).toList());
        assertThat(documented).as("reason codes in docs/connector-contract.md section 6").isNotEmpty();
        assertThat(known).as("codes of Reason missing from the documented table").isSubsetOf(documented);
        assertThat(documented).as("documented codes missing from Reason").isSubsetOf(known);
    }

    @Test
    void codesRoundTripAndAnUnknownCodeIsRefused() {
        for (Reason r : Reason.values()) {
            assertThat(Reason.of(r.code())).isSameAs(r);
            assertThat(new RejectedException(r.code(), "d").why()).isSameAs(r);
        }
        assertThat(new RejectedException(Reason.UNKNOWN_CAMERA, "d").reason()).isEqualTo("unknown-camera");
        assertThatThrownBy(() -> new RejectedException("no-such-reason", "d")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The first column of the table in section 6, in order. */
    private static Set<String> documented() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/connector-contract.md"));
        Set<String> codes = new LinkedHashSet<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## 6. Quarantine reasons");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (inSection && m.find()) {
                assertThat(codes.add(m.group(1))).as("documented twice: " + m.group(1)).isTrue();
            }
        }
        return codes;
    }
}
