package uk.anprhub.search;

import uk.anprhub.model.Confusions;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a {@link SearchQuery}: a WHERE clause over {@code nas_read r} and its parameters, shaped so each kind
 * of plate search meets its V5 index (docs/search.md, "How it is fast"):
 * <ul>
 *   <li>exact: {@code r.vrm = ?} — btree {@code nas_read_vrm (vrm, captured_at)};</li>
 *   <li>fuzzy: {@code translate(r.vrm, ...) = ?} — btree {@code nas_read_vrm_fuzzy} on that expression;</li>
 *   <li>wildcard (fuzzy or not): {@code translate(r.vrm, ...) LIKE ?} — the trigram index on that expression (or,
 *       without pg_trgm, the fuzzy btree for a known prefix), then {@code r.vrm LIKE ?} for the exact characters.</li>
 * </ul>
 * Values are always parameters; only the constant {@link Confusions#sql} is SQL text.
 */
public record ReadFilter(String where, List<Object> params) {

    public static ReadFilter of(SearchQuery q) {
        StringBuilder w = new StringBuilder("r.captured_at >= ? and r.captured_at < ?");
        List<Object> p = new ArrayList<>();
        p.add(Timestamp.from(q.from()));
        p.add(Timestamp.from(q.to()));
        if (q.vrm() != null) {
            String fuzzyColumn = Confusions.sql("r.vrm");
            if (q.wildcard()) {
                // A known prefix of 3+ characters: LIKE, which a btree range serves. A shorter one (AB?2CDE, *12CD*):
                // ILIKE — the same matches, plates being upper case — which no btree can serve, so the planner takes
                // the trigram index instead of scanning every plate that starts with "AB" (measured: docs/performance.md).
                String like = Wildcards.prefix(q.vrm()) >= 3 ? " like ? escape '\\'" : " ilike ? escape '\\'";
                w.append(" and ").append(fuzzyColumn).append(like);
                p.add(Wildcards.toLike(Confusions.canonical(q.vrm())));
                if (!q.fuzzy()) {
                    w.append(" and r.vrm").append(like);
                    p.add(Wildcards.toLike(q.vrm()));
                }
            } else if (q.fuzzy()) {
                w.append(" and ").append(fuzzyColumn).append(" = ?");
                p.add(Confusions.canonical(q.vrm()));
            } else {
                w.append(" and r.vrm = ?");
                p.add(q.vrm());
            }
        }
        if (!q.cameras().isEmpty()) {
            w.append(" and r.camera_id = any(?)");
            p.add(q.cameras().toArray(String[]::new));
        }
        if (q.direction() != null) {
            w.append(" and r.body ->> 'direction' = ?");
            p.add(q.direction());
        }
        if (q.bbox() != null) {
            w.append(" and (r.body ->> 'latitude')::float8 between ? and ? and (r.body ->> 'longitude')::float8 between ? and ?");
            p.add(q.bbox().get(0));
            p.add(q.bbox().get(2));
            p.add(q.bbox().get(1));
            p.add(q.bbox().get(3));
        }
        if (q.after() != null) {
            w.append(" and (r.captured_at, r.id) < (?, ?)");
            p.add(Timestamp.from(q.after().capturedAt()));
            p.add(q.after().id());
        }
        return new ReadFilter(w.toString(), List.copyOf(p));
    }

    /** One page, newest first: {@code limit} rows of id, read_id, captured_at, camera_id, vrm, body. */
    public String pageSql(int limit) {
        return "select r.id, r.read_id, r.captured_at, r.camera_id, r.vrm, r.body::text as body from nas_read r where " + where
                + " order by r.captured_at desc, r.id desc limit " + limit;
    }

    /** How many rows match, counting at most {@code cap + 1}. */
    public String countSql(int cap) {
        return "select count(*) from (select 1 from nas_read r where " + where + " limit " + (cap + 1) + ") c";
    }
}
