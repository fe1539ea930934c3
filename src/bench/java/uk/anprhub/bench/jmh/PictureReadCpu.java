package uk.anprhub.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time of this thread per read of {@link PictureReadBenchmark}, spans on and off in alternating rounds of the
 * same JVM: on a machine shared with other work, wall-time throughput is noise, the thread's own CPU time is not
 * (GC threads' time is not counted: {@code -prof gc} of the benchmark gives the allocation behind it).
 * Usage: {@code java -cp <bench classpath> uk.anprhub.bench.jmh.PictureReadCpu [pictureKb] [rounds]}.
 */
public final class PictureReadCpu {

    private PictureReadCpu() {
    }

    public static void main(String[] args) throws Exception {
        int kb = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perRound = Math.max(20, 20_000 / kb);
        PictureReadBenchmark on = state(kb, true);
        PictureReadBenchmark off = state(kb, false);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[2];
        long sink = 0;
        for (int round = -2; round < rounds; round++) { // two rounds of warm-up
            for (int v = 0; v < 2; v++) {
                PictureReadBenchmark b = v == 0 ? on : off;
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound; i++) {
                    sink += b.once();
                }
                if (round >= 0) {
                    cpu[v] += mx.getCurrentThreadCpuTime() - t0;
                }
            }
        }
        long reads = (long) rounds * perRound;
        System.out.printf("picture %d KB, %d reads each: spans %.0f µs CPU/read, text %.0f µs CPU/read, ratio %.2f (sink %d)%n",
                kb, reads, cpu[0] / 1e3 / reads, cpu[1] / 1e3 / reads, (double) cpu[1] / cpu[0], sink % 7);
    }

    private static PictureReadBenchmark state(int kb, boolean spans) throws Exception {
        PictureReadBenchmark b = new PictureReadBenchmark();
        b.pictureKb = kb;
        b.spans = spans;
        b.setUp();
        return b;
    }
}
