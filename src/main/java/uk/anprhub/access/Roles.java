package uk.anprhub.access;

/** The hub's roles. Least privilege: an account with none of them reaches nothing; roles do not imply each other. */
public final class Roles {

    /** Hawtio, delivery, quarantine, cameras, feeds. */
    public static final String OPS = "ops";
    /** Searches the local store and NAS, views images, exports evidence. */
    public static final String INVESTIGATOR = "investigator";
    /** Authorises national searches beyond the standard window. */
    public static final String SUPERVISOR = "supervisor";
    /** Reads the audit log, nothing else. */
    public static final String AUDITOR = "auditor";
    /** Keeps the hotlists (vehicle-of-interest lists). */
    public static final String HOTLIST_MANAGER = "hotlist-manager";
    /** Every role. */
    public static final String[] ALL = {OPS, INVESTIGATOR, SUPERVISOR, AUDITOR, HOTLIST_MANAGER};

    private Roles() {
    }
}
