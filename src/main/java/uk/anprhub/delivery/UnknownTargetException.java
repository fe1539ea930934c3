package uk.anprhub.delivery;

import java.util.Set;

/** A target id this instance does not deliver to (the API answers 404). */
public final class UnknownTargetException extends IllegalArgumentException {
    UnknownTargetException(String target, Set<String> known) {
        super("unknown or disabled delivery target '" + target + "'; enabled: " + known);
    }
}
