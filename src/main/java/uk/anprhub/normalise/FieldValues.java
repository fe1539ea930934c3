package uk.anprhub.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import uk.anprhub.message.RejectedException;

/** The loosely typed fields of a vendor read as text or number: vendors send numbers as strings and "-" for absent. */
final class FieldValues {

    private FieldValues() {
    }

    /** Text of a field; null, empty and the vendors' "-" placeholder all mean absent. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String s = node.isTextual() ? node.textValue()
                : node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())
                ? node.decimalValue().toPlainString() // the digits as sent (1607123955.475377), not 1.607123955475377E9
                : node.asText();
        String t = s.trim();
        return t.isEmpty() || t.equals("-") ? null : s;
    }

    /** A finite number, from a JSON number or its text; null when absent. */
    static Double number(JsonNode node, String name) {
        if (node != null && node.isContainerNode()) {
            throw new RejectedException("malformed-field", name + " is an object or array, not a number");
        }
        String s = text(node);
        if (s == null) {
            return null;
        }
        double d;
        if (node.isNumber()) {
            d = node.asDouble();
        } else {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new RejectedException("malformed-field", name + " is not a number");
            }
        }
        if (!Double.isFinite(d)) { // 1e999, "Infinity", "NaN": no arithmetic or store may see them
            throw new RejectedException("malformed-field", name + " is not a finite number");
        }
        return d;
    }
}
