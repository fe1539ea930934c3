package uk.anprhub.hotlist;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import uk.anprhub.support.TestDatabase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures what docs/hotlists.md states for a million entries: CSV-sized import through {@link HotlistStore#apply},
 * index load from PostgreSQL (the hub's reload), heap the index holds, and matching throughput. Not a test (timings
 * on a shared machine): run with {@code bench/run-hotlists.sh} or
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench.classpath) uk.anprhub.hotlist.HotlistLoadHarness [entries]}.
 */
public final class HotlistLoadHarness {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (TestDatabase db = TestDatabase.start()) {
            SingleConnectionDataSource ds = new SingleConnectionDataSource(db.jdbcUrl(), "postgres", "postgres", true);
            ds.setAutoCommit(true);
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            HotlistStore store = new HotlistStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), 100);
            int lists = 10;
            List<List<Entry>> perList = new ArrayList<>();
            for (int l = 0; l < lists; l++) {
                store.create(new Hotlist("bench-" + l, "bench", null, "investigator", 30, l % 2 == 0, null, null).cleaned(null), () -> { });
                perList.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                perList.get(i % lists).add(new Entry(null, plate(i), null, "stolen", i % 101, List.of("FI"), null, null,
                        i % 10 == 0 ? Instant.now().plusSeconds(86_400) : null, "bench", null).cleaned());
            }
            long t0 = System.nanoTime();
            for (int l = 0; l < lists; l++) {
                store.apply("bench-" + l, perList.get(l), true, c -> { });
            }
            double importS = (System.nanoTime() - t0) / 1e9;
            perList.clear();
            System.out.printf("entries: %,d in %d lists (half fuzzy)%nimport (replace, %d transactions): %.1f s (%,.0f entries/s)%n",
                    n, lists, lists, importS, n / importS);
            HotlistIndex index = null;
            for (int run = 1; run <= 3; run++) {
                System.gc();
                long before = used();
                long t = System.nanoTime();
                index = store.load(Instant.now());
                double s = (System.nanoTime() - t) / 1e9;
                System.gc();
                System.out.printf("load %d: %,d active entries in %.2f s; heap held by the index ~%d MB%n", run, index.size(), s,
                        (used() - before) / (1 << 20));
            }
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String[] reads = new String[1_000_000];
            for (int i = 0; i < reads.length; i++) {
                reads[i] = i % 100 == 0 ? plate(r.nextInt(n)) : "Q" + plate(r.nextInt(n)).substring(1); // ~1 % listed
            }
            long now = System.currentTimeMillis();
            long hits = 0;
            for (int round = 0; round < 3; round++) {
                long t = System.nanoTime();
                hits = 0;
                for (String v : reads) {
                    hits += index.match(v, now).size();
                }
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf("match round %d: %,d reads in %.2f s (%,.0f reads/s, one thread), %,d matches%n", round + 1,
                        reads.length, s, reads.length / s, hits);
            }
            // partly read plates (docs/hotlists.md#partly-read-plates): one or two characters replaced by a marker
            for (int markers = 1; markers <= 2; markers++) {
                String[] partial = new String[20_000];
                for (int i = 0; i < partial.length; i++) {
                    char[] c = plate(r.nextInt(n)).toCharArray();
                    c[1] = '?';
                    if (markers == 2) {
                        c[5] = '?';
                    }
                    partial[i] = new String(c);
                }
                for (int round = 0; round < 3; round++) {
                    long t = System.nanoTime();
                    hits = 0;
                    for (String v : partial) {
                        hits += index.match(v, now).size();
                    }
                    double s = (System.nanoTime() - t) / 1e9;
                    System.out.printf("partial, %d marker(s), round %d: %.1f us/read, %,d matches for %,d reads%n", markers,
                            round + 1, s * 1e6 / partial.length, hits, partial.length);
                }
            }
            ds.destroy();
        }
    }

    /** Distinct UK-shaped plates: two letters, two digits, three letters (never starting with Q). */
    static String plate(int i) {
        String letters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
        char[] c = new char[7];
        int x = i;
        for (int k = 6; k >= 4; k--) {
            c[k] = letters.charAt(x % 24);
            x /= 24;
        }
        c[3] = (char) ('0' + x % 10);
        x /= 10;
        c[2] = (char) ('0' + x % 10);
        x /= 10;
        c[1] = letters.charAt(x % 24);
        x /= 24;
        c[0] = letters.charAt(Math.min(22, x % 23));
        return new String(c);
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
