package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import uk.anprhub.camera.Camera;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.VendorRead;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

import static uk.anprhub.normalise.FieldValues.number;

/** The numbers of a read (contract sections 4.4 and 4.7): confidence in percent, lane, heading, position. */
final class Measures {

    private static final int MAX_LANE = 255;

    private Measures() {
    }

    /** Latitude and longitude, both null when unknown. */
    record Position(Double latitude, Double longitude) {
    }

    /** The read's own position (decimal or degrees-minutes-seconds), else its camera's site. */
    static Position position(VendorRead in, Camera camera) {
        Double latitude = coordinate(in.latitude(), in.latitudeDms(), "latitude", 90);
        Double longitude = coordinate(in.longitude(), in.longitudeDms(), "longitude", 180);
        if (latitude == null && longitude == null && camera != null) {
            return new Position(camera.latitude(), camera.longitude());
        }
        return new Position(latitude, longitude);
    }

    static Integer confidence(JsonNode value, JsonNode scale) {
        Double v = number(value, "confidence");
        if (v == null) {
            return null;
        }
        double s = scale == null || scale.isNull() ? 100 : scale.asDouble(100);
        // decimal arithmetic: 0.285 * 100 in binary is 28.4999..., which would round down
        BigDecimal pct = s == 1 ? BigDecimal.valueOf(v).movePointRight(2) : s == 1000 ? BigDecimal.valueOf(v).movePointLeft(1)
                : BigDecimal.valueOf(v);
        if (pct.signum() < 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new RejectedException("malformed-field", "confidence is outside its scale 0-" + (s == 1000 ? 999 : (int) s));
        }
        return pct.setScale(0, RoundingMode.HALF_UP).intValue();
    }

    static Integer lane(JsonNode node) {
        Double d = number(node, "lane");
        if (d != null && (d < 0 || d > MAX_LANE)) {
            throw new RejectedException("malformed-field", "lane is outside 0.." + MAX_LANE);
        }
        return d == null ? null : (int) Math.round(d);
    }

    static Double heading(JsonNode node) {
        Double d = number(node, "headingDeg");
        if (d != null && (d < 0 || d > 360)) {
            throw new RejectedException("malformed-field", "headingDeg is outside 0..360");
        }
        return d;
    }

    private static Double coordinate(JsonNode decimal, VendorRead.Dms dms, String name, double limit) {
        Double value = number(decimal, name);
        if (value == null && dms != null) {
            Double deg = number(dms.degree(), name);
            if (deg != null) {
                double min = orZero(number(dms.minute(), name));
                double sec = orZero(number(dms.sec(), name));
                value = deg + min / 60 + sec / 3600;
                String dir = dms.direction() == null ? "" : dms.direction().trim().toUpperCase(Locale.ROOT);
                if (dir.startsWith("S") || dir.startsWith("W")) {
                    value = -value;
                }
                value = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).doubleValue();
            }
        }
        if (value != null && Math.abs(value) > limit) {
            throw new RejectedException("malformed-field", name + " is outside -" + (int) limit + ".." + (int) limit);
        }
        return value;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
