package uk.anprhub.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How tests launch the built jar ({@code target/anpr-hub.jar}) as a hub process: the JVM's command up to and including
 * the jar, {@code java -Xmx512m [CDS flags] -Danpr.home=... -jar <jar>}.
 *
 * <p>Why: a hub start is mostly class loading, ~30-38 s of CPU on a shared 2-core machine, and the suite starts the
 * jar well over a dozen times. Once per build (cached under {@code target/hub-cds/}, keyed by the jar and the JDK) the
 * jar is unpacked with Spring Boot's own {@code -Djarmode=tools extract} and one training start
 * ({@code -Dspring.context.exit=onRefresh}) writes a dynamic AppCDS archive; every later start maps the classes it
 * archived. Measured (session 11, one start, C2, load 14-17): 38 CPU s fat jar, 30 unpacked, 21 unpacked + archive;
 * per class on a machine at load 20-28, the one-off unpacking and training (134-227 s there) included: ClusterIT
 * 687 s -> 607 s, RollingUpgradeIT 628 s -> 318 s, KafkaSpineIT 266 s -> 225 s (archive already made).
 * The unpacked jar holds the same classes and resources, only unnested: {@code lib/*.jar} on the manifest's
 * class path instead of Spring Boot's nested-jar loader. The fat jar itself keeps its own tests (HubProcessIT through
 * {@code bin/anpr-hub}, DemoIT, HashPasswordIT start it as it ships; StoreSecurityIT moved here in session 12).
 *
 * <p>{@code -DargLine=-Danpr.it.cds=false} starts the fat jar everywhere instead, to compare; anything that goes wrong
 * while preparing falls back to the fat jar too, saying why on stdout.
 */
public final class HubJar {

    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("anpr.it.cds", "true"));
    private static final long TRAINING_LIMIT_S = 300;

    private static List<String> prepared; // the launch prefix after "java", once per JVM

    private HubJar() {
    }

    /** {@code java -Xmx512m ... -jar <jar>}: the start of the command line of a hub process. */
    public static List<String> command(String... jvmFlags) {
        Path root = Path.of("").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m"));
        cmd.addAll(List.of(jvmFlags));
        cmd.add("-Danpr.home=" + root);
        cmd.addAll(launch(root, false));
        return cmd;
    }

    /**
     * Unpacks the jar and makes its archive now, if that is still to do: for a test that times a hub's start from
     * before {@link HubProcess#start} (the first {@link #command} would otherwise include this one-off work).
     */
    public static void prepare() {
        launch(Path.of("").toAbsolutePath(), false);
    }

    /**
     * {@link #prepare()} on a thread of its own, the training JVM at a low CPU priority ({@code nice}): started when a
     * run of the whole suite begins ({@link HubJarWarmUp}), it takes the CPU the in-JVM tests leave idle instead of
     * the first hub test's time. A hub launched before it ends waits for it (one preparation per JVM, as before).
     */
    public static void prepareInBackground() {
        Thread t = new Thread(() -> launch(Path.of("").toAbsolutePath(), true), "hub-jar-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static synchronized List<String> launch(Path root, boolean nice) {
        if (prepared == null) {
            Path fat = root.resolve("target/anpr-hub.jar");
            prepared = List.of("-jar", fat.toString());
            if (ENABLED) {
                try {
                    prepared = unpackAndTrain(root, fat, nice);
                } catch (IOException | RuntimeException e) {
                    System.out.println("HubJar: hubs start from the fat jar without a class archive: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return prepared;
    }

    /** The unpacked jar and its archive, made now unless a run of the same jar and JDK already made them. */
    private static List<String> unpackAndTrain(Path root, Path fat, boolean nice) throws IOException, InterruptedException {
        String key = Files.size(fat) + "-" + Files.getLastModifiedTime(fat).toMillis() + "-"
                + Integer.toHexString((System.getProperty("java.home") + System.getProperty("java.vm.version")).hashCode());
        Path cache = root.resolve("target/hub-cds");
        Files.createDirectories(cache);
        // made in place (an archive holds the class path it was made on), under a lock other test JVMs respect
        Path dir = cache.resolve(key);
        Path jar = dir.resolve("app/anpr-hub.jar");
        Path archive = dir.resolve("hub.jsa");
        try (FileChannel lockFile = FileChannel.open(cache.resolve(key + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (!Files.isRegularFile(archive)) {
                long t0 = System.nanoTime();
                delete(dir); // what an earlier, interrupted attempt left
                deleteOthers(cache, key); // 110 MB each: those of earlier builds of the jar go
                Files.createDirectories(dir.resolve("train-data"));
                run(dir.resolve("extract.log"), java(), "-Djarmode=tools", "-jar", fat.toString(), "extract",
                        "--destination", dir.resolve("app").toString());
                // refresh only (no port, no routes started, no scheduled job), on an embedded PostgreSQL of its own
                Path training = dir.resolve("hub.jsa.training");
                List<String> trainCmd = new ArrayList<>();
                if (nice && Files.isExecutable(Path.of("/usr/bin/nice"))) {
                    trainCmd.addAll(List.of("/usr/bin/nice", "-n", "10"));
                }
                trainCmd.addAll(List.of(java(), "-Xmx512m", "-XX:ArchiveClassesAtExit=" + training,
                        "-Dspring.context.exit=onRefresh", "-Danpr.home=" + root, "-jar", jar.toString(), "run", "--demo",
                        "--server.port=0", "--logging.level.root=WARN"));
                ProcessBuilder train = new ProcessBuilder(trainCmd);
                train.environment().put("ANPR_DATA_DIR", dir.resolve("train-data").toString());
                train.environment().remove("ANPR_DB_URL");
                run(train, dir.resolve("train.log"));
                if (!Files.isRegularFile(training)) {
                    throw new IOException("the training start wrote no archive; see " + dir.resolve("train.log"));
                }
                delete(dir.resolve("train-data"));
                Files.move(training, archive, StandardCopyOption.ATOMIC_MOVE); // last: its presence means "ready"
                System.out.printf("HubJar: unpacked the jar and wrote its class archive in %.1f s%s%n",
                        (System.nanoTime() - t0) / 1e9, nice ? " (in the background, niced)" : "");
            }
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-jar", jar.toString());
    }

    private static void run(Path log, String... cmd) throws IOException, InterruptedException {
        run(new ProcessBuilder(cmd), log);
    }

    private static void run(ProcessBuilder pb, Path log) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TRAINING_LIMIT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException(String.join(" ", pb.command().subList(0, 3)) + "... did not end in " + TRAINING_LIMIT_S + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", pb.command().subList(0, 3)) + "... exited " + p.exitValue() + "; see " + log);
        }
    }

    /** Entries of {@code cache} made for other jars (an earlier build; forks of this build share {@code key}). */
    private static void deleteOthers(Path cache, String key) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().startsWith(key)).toList()) {
                delete(p);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
