package uk.anprhub.normalise;

import uk.anprhub.message.RejectedException;
import uk.anprhub.model.VendorRead;

import java.text.Normalizer.Form;
import java.util.List;
import java.util.Set;

import static uk.anprhub.normalise.FieldValues.text;

/** The plate: the clean VRM (A-Z0-9, at most 16), or the vendor's best guess when the plate as read is partial. */
final class VrmRule {

    /** The plate as sent: the cleaned VRM's 16 characters plus spaces, dashes and the like. */
    static final int MAX_AS_READ = 32;
    private static final int MAX_VRM = 16;
    private static final Set<String> NO_PLATE = Set.of("UNKNOWN", "NOPLATE", "NOTDEFINED", "NONE", "NULL", "NA",
            "NOREAD", "UNREAD");
    /**
     * What vendors put in place of a character they could not read: {@code ?} (Hikvision, most OCR engines),
     * {@code *} (also Genetec's masking), {@code _}, {@code #}, and U+FFFD, a byte the camera's charset could not
     * encode. None of them is ever part of a plate.
     */
    private static final String MARKERS = "?*_#\uFFFD";
    private static final String MARKERS_TEXT = "?, *, _, # or U+FFFD";

    private VrmRule() {
    }

    /** The clean VRM and the plate as sent. */
    record Plate(String vrm, String asRead) {
    }

    /** The read's plate; a partial one is replaced by the vendor's guess and flagged {@code vrm-best-guess}. */
    static Plate plate(VendorRead in, List<String> flags) {
        String asRead = text(in.vrm());
        String vrm = cleanVrm(asRead);
        if (partial(asRead)) {
            String guess = text(in.vrmGuess());
            if (guess == null) {
                throw new RejectedException("partial-vrm", "the plate has characters the camera could not read "
                        + "(marked " + MARKERS_TEXT + ") and the mapping gives no vrmGuess: stored as read, it would be "
                        + "another, valid-looking plate");
            }
            if (partial(guess)) {
                throw new RejectedException("partial-vrm", "the vendor's best guess (vrmGuess) also has unreadable characters");
            }
            vrm = cleanVrm(guess);
            flags.add("vrm-best-guess");
        }
        return new Plate(vrm, asRead);
    }

    /**
     * Whether the plate as sent marks a character the camera could not read ({@code AB12CD?}). Cleaning would drop the
     * marker and leave a shorter, valid-looking plate, i.e. another vehicle; a plate that is nothing but markers
     * ({@code ???}, Genetec's masked {@code ******}) is no plate at all, which {@link #cleanVrm} says.
     */
    static boolean partial(String asRead) {
        if (asRead == null) {
            return false;
        }
        boolean marker = false;
        boolean character = false;
        for (int i = 0; i < asRead.length(); i++) {
            char c = asRead.charAt(i);
            if (MARKERS.indexOf(c) >= 0) {
                marker = true;
            } else if (Character.isLetterOrDigit(c)) {
                character = true;
            }
        }
        return marker && character;
    }

    static String cleanVrm(String asRead) {
        if (asRead == null || asRead.isBlank()) {
            throw new RejectedException("missing-vrm", "the read has no plate (VRM)");
        }
        String s = asRead;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) { // strip accents of foreign plates before dropping non A-Z0-9
                s = java.text.Normalizer.normalize(s, Form.NFD);
                break;
            }
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toUpperCase(s.charAt(i));
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                b.append(c);
            }
        }
        String vrm = b.toString();
        if (vrm.isEmpty() || NO_PLATE.contains(vrm)) {
            throw new RejectedException("no-plate", "the camera reported no readable plate (a no-plate marker, not a VRM)");
        }
        if (vrm.length() > MAX_VRM) {
            throw new RejectedException("invalid-vrm", "the plate has " + vrm.length() + " characters, more than " + MAX_VRM);
        }
        return vrm;
    }
}
