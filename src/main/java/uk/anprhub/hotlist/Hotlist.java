package uk.anprhub.hotlist;

import uk.anprhub.access.Roles;

import java.time.Instant;

/**
 * A vehicle-of-interest list.
 *
 * @param id               a-z, 0-9 and '-', up to 40: the list's name in the API and the metric label
 * @param hitRole          the role that may see the list's hits (ops, investigator, supervisor, auditor, hotlist-manager)
 * @param hitRetentionDays hits are deleted this many days after they matched
 * @param fuzzy            also match reads that differ only within the OCR confusion classes (marked fuzzy)
 * @param entries          entries now (in answers only)
 */
public record Hotlist(String id, String owner, String description, String hitRole, Integer hitRetentionDays,
                      Boolean fuzzy, Long entries, Instant updatedAt) {

    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** @throws IllegalArgumentException naming the field */
    Hotlist cleaned(String pathId) {
        String i = pathId != null ? pathId : id;
        if (i == null || !ID.matcher(i).matches()) {
            throw new IllegalArgumentException("id must be 1-40 characters a-z, 0-9, '-'");
        }
        if (owner == null || owner.isBlank() || owner.length() > Entry.MAX_TEXT) {
            throw new IllegalArgumentException("owner is required (at most " + Entry.MAX_TEXT + " characters)");
        }
        if (description != null && description.length() > Entry.MAX_TEXT) {
            throw new IllegalArgumentException("description is longer than " + Entry.MAX_TEXT + " characters");
        }
        if (hitRole == null || !java.util.Arrays.asList(Roles.ALL).contains(hitRole)) {
            throw new IllegalArgumentException("hitRole must be one of " + String.join(", ", Roles.ALL));
        }
        int days = hitRetentionDays == null ? 30 : hitRetentionDays;
        if (days < 1 || days > 3650) {
            throw new IllegalArgumentException("hitRetentionDays must be 1-3650");
        }
        return new Hotlist(i, owner.strip(), description == null ? null : description.strip(), hitRole, days,
                Boolean.TRUE.equals(fuzzy), null, null);
    }
}
