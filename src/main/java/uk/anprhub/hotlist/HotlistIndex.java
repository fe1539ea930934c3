package uk.anprhub.hotlist;

import uk.anprhub.model.Confusions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The active entries of every list, in memory, immutable (a reload builds a new one): exact VRMs by hash lookup
 * on a {@link VrmKey}, the same keys of fuzzy lists under their {@link Confusions} key, wildcards compiled. Entries
 * are parallel primitive arrays, so a million take tens of MB and load in seconds (docs/hotlists.md). Valid-from and
 * expiry are checked at match time.
 *
 * <p>Over 300 lines on purpose: the primitive-array layout and the three ways of matching over it (exact, fuzzy,
 * partial) share private arrays and stay together so the per-read path allocates nothing.
 */
public final class HotlistIndex {

    /** What matching and the alert stream need to know of a list. */
    public record ListInfo(String id, String hitRole, boolean fuzzy) {
    }

    /** One entry a read matched: {@code kind} exact, wildcard or fuzzy. */
    public record Match(long entryId, String listId, String kind, int priority) {
    }

    public static final String EXACT = "exact";
    public static final String WILDCARD = "wildcard";
    public static final String FUZZY = "fuzzy";
    /** A partly read plate: each unreadable-character marker stood for one character of the listed VRM. */
    public static final String PARTIAL = "partial";
    /**
     * The most unreadable-character markers a plate may carry and still be matched: each stands for any of 36
     * characters, so two are 1,296 lookups and already a wide net; a plate of nothing but markers never hits.
     */
    public static final int MAX_MARKERS = 2;
    /** What cameras put in place of a character they could not read (docs/connector-contract.md, partial-vrm). */
    static final String MARKERS = "?*_#\uFFFD";
    /** The characters a marker may stand for: A-Z and 0-9, {@link VrmKey} digits 1 to 36. */
    private static final int CHARACTERS = 36;

    private record Wildcard(Pattern pattern, int entry) {
    }

    private final long version;
    private final Map<String, ListInfo> lists;
    private final ListInfo[] listByIndex;
    private final int size;
    private final long[] entryIds;
    private final int[] listIdx;
    private final byte[] priority;
    private final long[] validFrom;
    private final long[] expires;
    private final KeyTable exact;
    private final KeyTable fuzzy;
    private final Wildcard[] wildcards;

    private HotlistIndex(Builder b) {
        this.version = b.version;
        this.listByIndex = b.lists.toArray(ListInfo[]::new);
        Map<String, ListInfo> byId = new HashMap<>();
        for (ListInfo l : listByIndex) {
            byId.put(l.id(), l);
        }
        this.lists = Map.copyOf(byId);
        this.size = b.size;
        this.entryIds = Arrays.copyOf(b.entryIds, size);
        this.listIdx = Arrays.copyOf(b.listIdx, size);
        this.priority = Arrays.copyOf(b.priority, size);
        this.validFrom = Arrays.copyOf(b.validFrom, size);
        this.expires = Arrays.copyOf(b.expires, size);
        int exactCount = 0;
        int fuzzyCount = 0;
        for (int i = 0; i < size; i++) {
            if (b.keys[i] != VrmKey.NONE) {
                exactCount++;
                if (b.fuzzyKeys[i] != VrmKey.NONE) {
                    fuzzyCount++;
                }
            }
        }
        this.exact = new KeyTable(exactCount, size);
        this.fuzzy = new KeyTable(fuzzyCount, size);
        for (int i = 0; i < size; i++) {
            if (b.keys[i] != VrmKey.NONE) {
                exact.put(b.keys[i], i);
                if (b.fuzzyKeys[i] != VrmKey.NONE) {
                    fuzzy.put(b.fuzzyKeys[i], i);
                }
            }
        }
        this.wildcards = b.wildcards.toArray(Wildcard[]::new);
    }

    public static HotlistIndex empty() {
        return new Builder(0).build();
    }

    public long version() {
        return version;
    }

    public int size() {
        return size;
    }

    public Map<String, ListInfo> lists() {
        return lists;
    }

    /**
     * The entries a cleaned VRM matches now, highest priority (0) first; one match per entry: exact before wildcard
     * before fuzzy. A plate with unreadable-character markers is matched by {@link #matchPartial} instead.
     */
    public List<Match> match(String vrm, long nowMillis) {
        if (hasMarker(vrm)) {
            return matchPartial(vrm, nowMillis);
        }
        List<Match> out = null;
        long key = VrmKey.of(vrm);
        if (key != VrmKey.NONE) {
            for (int e = exact.first(key); e >= 0; e = exact.next(e)) {
                out = add(out, e, EXACT, nowMillis);
            }
        }
        for (Wildcard w : wildcards) {
            if (w.pattern.matcher(vrm).matches()) {
                out = add(out, w.entry, WILDCARD, nowMillis);
            }
        }
        if (fuzzy.size() > 0) {
            long fuzzyKey = VrmKey.of(Confusions.canonical(vrm));
            if (fuzzyKey != VrmKey.NONE) {
                for (int e = fuzzy.first(fuzzyKey); e >= 0; e = fuzzy.next(e)) {
                    out = add(out, e, FUZZY, nowMillis);
                }
            }
        }
        if (out == null) {
            return List.of();
        }
        out.sort(Comparator.comparingInt(Match::priority));
        return out;
    }

    /**
     * A partly read plate ({@code AB12C?E}; upper case, spaces and dashes are dropped, markers kept): each marker
     * matches any one character, against the exact entries of every list (not wildcards, not fuzzy keys), each hit
     * marked {@link #PARTIAL}. No match for more than {@link #MAX_MARKERS} markers or for markers only.
     */
    public List<Match> matchPartial(String asRead, long nowMillis) {
        char[] plate = cleanKeepingMarkers(asRead);
        int[] at = new int[MAX_MARKERS];
        int markers = 0;
        for (int i = 0; i < plate.length; i++) {
            if (plate[i] == '?') {
                if (markers == MAX_MARKERS) {
                    return List.of();
                }
                at[markers++] = i;
            }
        }
        if (markers == 0 || markers == plate.length || plate.length > VrmKey.MAX_LENGTH || exact.size() == 0) {
            return markers == 0 && plate.length > 0 ? match(new String(plate), nowMillis) : List.of();
        }
        // the VrmKey with 0 at each marker, then each candidate character's digit (1-36) times the marker's place value
        long base = 0;
        for (char ch : plate) {
            base = base * 37 + (ch == '?' ? 0 : VrmKey.digit(ch));
        }
        long[] place = new long[markers];
        for (int m = 0; m < markers; m++) {
            place[m] = 1;
            for (int i = at[m] + 1; i < plate.length; i++) {
                place[m] *= 37;
            }
        }
        List<Match> out = null;
        int combinations = markers == 1 ? CHARACTERS : CHARACTERS * CHARACTERS;
        for (int c = 0; c < combinations; c++) {
            long key = base + (c % CHARACTERS + 1) * place[0];
            if (markers == 2) {
                key += (c / CHARACTERS + 1) * place[1];
            }
            for (int e = exact.first(key); e >= 0; e = exact.next(e)) {
                out = add(out, e, PARTIAL, nowMillis);
            }
        }
        if (out == null) {
            return List.of();
        }
        out.sort(Comparator.comparingInt(Match::priority));
        return out;
    }

    /** Whether the plate carries an unreadable-character marker. */
    public static boolean hasMarker(String vrm) {
        for (int i = 0; i < vrm.length(); i++) {
            if (MARKERS.indexOf(vrm.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Upper case A-Z and 0-9 kept, every marker as {@code ?}, everything else (spaces, dashes) dropped. */
    private static char[] cleanKeepingMarkers(String asRead) {
        StringBuilder b = new StringBuilder(asRead.length());
        for (int i = 0; i < asRead.length(); i++) {
            char c = Character.toUpperCase(asRead.charAt(i));
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                b.append(c);
            } else if (MARKERS.indexOf(c) >= 0) {
                b.append('?');
            }
        }
        return b.toString().toCharArray();
    }

    private List<Match> add(List<Match> out, int e, String kind, long now) {
        if (now < validFrom[e] || now >= expires[e]) {
            return out;
        }
        if (out == null) {
            out = new ArrayList<>(2);
        }
        for (Match m : out) {
            if (m.entryId() == entryIds[e]) {
                return out; // an exact match of the entry is not repeated as fuzzy
            }
        }
        out.add(new Match(entryIds[e], listByIndex[listIdx[e]].id(), kind, priority[e]));
        return out;
    }

    /** Fills the index; {@link #build} once. Not thread-safe. */
    public static final class Builder {
        private final long version;
        private final List<ListInfo> lists = new ArrayList<>();
        private final Map<String, Integer> listIndex = new HashMap<>();
        private final List<Wildcard> wildcards = new ArrayList<>();
        private int size;
        private long[] entryIds;
        private int[] listIdx;
        private byte[] priority;
        private long[] validFrom;
        private long[] expires;
        private long[] keys;
        private long[] fuzzyKeys;

        public Builder(long version) {
            this.version = version;
            grow(1024);
        }

        public Builder list(ListInfo list) {
            listIndex.put(list.id(), lists.size());
            lists.add(list);
            return this;
        }

        /**
         * An entry of a list given before; {@code vrm} cleaned (A-Z, 0-9; a pattern may hold * and ?).
         * {@code validFrom}/{@code expires}: epoch millis, or null for none.
         */
        public Builder entry(long entryId, String listId, String vrm, boolean wildcard, int prio, Long from, Long until) {
            Integer li = listIndex.get(listId);
            if (li == null) {
                return this;
            }
            if (size == entryIds.length) {
                grow(size * 2);
            }
            int i = size++;
            entryIds[i] = entryId;
            listIdx[i] = li;
            priority[i] = (byte) prio;
            validFrom[i] = from == null ? Long.MIN_VALUE : from;
            expires[i] = until == null ? Long.MAX_VALUE : until;
            if (wildcard) {
                keys[i] = VrmKey.NONE;
                fuzzyKeys[i] = VrmKey.NONE;
                wildcards.add(new Wildcard(Wildcards.compile(vrm), i));
            } else {
                keys[i] = VrmKey.of(vrm);
                fuzzyKeys[i] = lists.get(li).fuzzy() ? VrmKey.of(Confusions.canonical(vrm)) : VrmKey.NONE;
            }
            return this;
        }

        private void grow(int capacity) {
            entryIds = entryIds == null ? new long[capacity] : Arrays.copyOf(entryIds, capacity);
            listIdx = listIdx == null ? new int[capacity] : Arrays.copyOf(listIdx, capacity);
            priority = priority == null ? new byte[capacity] : Arrays.copyOf(priority, capacity);
            validFrom = validFrom == null ? new long[capacity] : Arrays.copyOf(validFrom, capacity);
            expires = expires == null ? new long[capacity] : Arrays.copyOf(expires, capacity);
            keys = keys == null ? new long[capacity] : Arrays.copyOf(keys, capacity);
            fuzzyKeys = fuzzyKeys == null ? new long[capacity] : Arrays.copyOf(fuzzyKeys, capacity);
        }

        public HotlistIndex build() {
            return new HotlistIndex(this);
        }
    }

    /**
     * Open addressing from a key to the first of its entries, the rest chained through {@code next} (the same VRM
     * on several lists). Keys are never 0 (the first character encodes as at least 1), so 0 marks a free slot.
     */
    private static final class KeyTable {
        private final long[] slots;
        private final int[] heads;
        private final int[] next;
        private final int mask;
        private int count;

        KeyTable(int expected, int entries) {
            int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
            slots = new long[cap];
            heads = new int[cap];
            next = new int[Math.max(1, entries)];
            mask = cap - 1;
        }

        void put(long key, int entry) {
            int s = slot(key);
            if (slots[s] == 0) {
                slots[s] = key;
                heads[s] = entry;
                next[entry] = -1;
            } else {
                next[entry] = heads[s];
                heads[s] = entry;
            }
            count++;
        }

        int first(long key) {
            int s = slot(key);
            return slots[s] == 0 ? -1 : heads[s];
        }

        int next(int entry) {
            return next[entry];
        }

        int size() {
            return count;
        }

        private int slot(long key) {
            int s = (int) (mix(key) & mask);
            while (slots[s] != 0 && slots[s] != key) {
                s = (s + 1) & mask;
            }
            return s;
        }

        private static long mix(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            return k;
        }
    }
}
