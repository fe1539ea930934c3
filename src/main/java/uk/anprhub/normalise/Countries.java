package uk.anprhub.normalise;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Country codes in every form vendors send, to ISO 3166-1 alpha-3. */
final class Countries {

    private static final Set<String> ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);
    private static final Map<String, String> ALPHA2_TO_3 = new HashMap<>();
    /** Hikvision's proprietary country numbers; only those confirmed in a public source are listed. */
    private static final Map<Integer, String> HIKVISION = Map.of(17, "GBR");

    static {
        for (String a2 : Locale.getISOCountries()) {
            ALPHA2_TO_3.put(a2, new Locale("", a2).getISO3Country());
        }
        ALPHA2_TO_3.put("UK", "GBR"); // common, though not ISO
    }

    private Countries() {
    }

    /** @return the alpha-3 code, or null when the value is absent or not a known country */
    static String toAlpha3(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("-")) {
            return null;
        }
        if (Character.isDigit(s.charAt(0))) {
            try {
                return HIKVISION.get(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        int dash = s.indexOf('-');
        if (dash > 0) {
            s = s.substring(0, dash); // Plate Recognizer region codes: "us-ca", "gb"
        }
        if (s.length() == 3) {
            return ALPHA3.contains(s) ? s : null;
        }
        if (s.length() == 2) {
            return ALPHA2_TO_3.get(s);
        }
        return null;
    }
}
