package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.NasRead;
import uk.anprhub.model.ReadLimits;
import uk.anprhub.model.VendorRead;

/**
 * Every text a read carries into the store is bounded and free of control characters (a NUL made PostgreSQL quote
 * the read in its error, and so in the log); every number of the typed parts is finite. Checked before any rule.
 */
final class FieldChecks {

    private static final int MAX_URL = 2048;
    private static final int MAX_FLAGS = 32;

    private FieldChecks() {
    }

    static void check(VendorRead in, ReadLimits limits) {
        check(in.vrm(), "vrm", VrmRule.MAX_AS_READ);
        check(in.vrmGuess(), "vrmGuess", VrmRule.MAX_AS_READ);
        check(in.time(), "time", limits.maxId());
        check(in.vendorReadId(), "vendorReadId", limits.maxId());
        check(in.country(), "country", limits.maxId());
        check(in.direction(), "direction", limits.maxText());
        VendorRead.Device d = in.device();
        if (d != null) {
            check(d.cameraId(), "device.cameraId", limits.maxId());
            check(d.serial(), "device.serial", limits.maxId());
            check(d.mac(), "device.mac", limits.maxId());
            check(d.ip(), "device.ip", limits.maxId());
            check(d.channel(), "device.channel", limits.maxId());
            check(d.ftpFolder(), "device.ftpFolder", limits.maxId());
            check(d.mqttName(), "device.mqttName", limits.maxId());
            check(d.name(), "device.name", limits.maxText());
            check(d.model(), "device.model", limits.maxText());
        }
        NasRead.Vehicle v = in.vehicle();
        if (v != null) {
            check(v.make(), "vehicle.make", limits.maxText());
            check(v.model(), "vehicle.model", limits.maxText());
            check(v.colour(), "vehicle.colour", limits.maxText());
            check(v.type(), "vehicle.type", limits.maxText());
        }
        NasRead.Ptz ptz = in.ptz();
        if (ptz != null) {
            check(ptz.preset(), "ptz.preset", limits.maxId());
            finite(ptz.pan(), "ptz.pan");
            finite(ptz.tilt(), "ptz.tilt");
            finite(ptz.zoom(), "ptz.zoom");
        }
        for (VendorRead.Image image : new VendorRead.Image[]{in.plateImage(), in.overviewImage()}) {
            if (image != null) {
                check(image.contentType(), "image contentType", limits.maxId());
                check(image.part(), "image part", limits.maxId());
                check(image.url(), "image url", MAX_URL);
                check(image.ref(), "image ref", MAX_URL);
            }
        }
        if (in.flags() != null) {
            if (in.flags().size() > MAX_FLAGS) {
                throw new RejectedException("malformed-field", "more than " + MAX_FLAGS + " flags");
            }
            for (String flag : in.flags()) {
                check(flag, "flag", limits.maxId());
            }
        }
    }

    private static void check(JsonNode node, String name, int max) {
        if (node != null && node.isTextual()) {
            check(node.textValue(), name, max);
        }
    }

    /** Refuses a text longer than {@code max} or holding a control character (tab, CR and LF included). */
    static void check(String s, String name, int max) {
        if (s == null) {
            return;
        }
        if (s.length() > max) {
            throw new RejectedException("malformed-field", name + " has " + s.length() + " characters, more than " + max);
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new RejectedException("malformed-field", name + " holds a control character (U+"
                        + String.format("%04X", (int) s.charAt(i)) + ") at position " + i);
            }
        }
    }

    private static void finite(Double d, String name) {
        if (d != null && !Double.isFinite(d)) {
            throw new RejectedException("malformed-field", name + " is not a finite number");
        }
    }
}
