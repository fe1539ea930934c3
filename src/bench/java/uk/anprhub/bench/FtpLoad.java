package uk.anprhub.bench;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * FTP load generator (commons-net): CLIENTS parallel FTP clients each upload FILES Hikvision ANPR pictures
 * ({@code <local time>_<unique plate>_VEHICLE_DETECTION.jpg}, the sample JPEG of the hikvision-ftp connector) to a
 * running hub, then it waits until the hub's Prometheus counter of stored reads for the feed has grown by the number
 * of files. Prints uploads/s (the FTP side) and reads/s into the store (upload start to last commit). A plain
 * {@code main}, not a test; {@code bench/ftp.sh} starts a hub and runs it.
 *
 * <p>Usage: {@code HOST FTP_PORT USER PASSWORD CLIENTS FILES [--connect-per-file] [--metrics URL] [--feed ID]}.
 * {@code --connect-per-file} logs in for every file, as Hikvision cameras do.
 */
public final class FtpLoad {

    private static final String LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        String password = args[3];
        int clients = Integer.parseInt(args[4]);
        int files = Integer.parseInt(args[5]);
        boolean perFile = false;
        String metrics = null;
        String feed = "hikvision-ftp";
        for (int i = 6; i < args.length; i++) {
            switch (args[i]) {
                case "--connect-per-file" -> perFile = true;
                case "--metrics" -> metrics = args[++i];
                case "--feed" -> feed = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] jpeg = Files.readAllBytes(Path.of("connectors/hikvision-ftp/samples/001-plate-in-name.jpg"));
        String sample = "anpr_reads_stored_total{feed=\"" + feed + "\"}";
        double storedBefore = metrics == null ? 0 : metric(metrics, sample);
        long salt = ThreadLocalRandom.current().nextLong(1L << 40);
        AtomicLong seq = new AtomicLong();
        LongAdder uploaded = new LongAdder();
        LongAdder refused = new LongAdder();
        boolean connectPerFile = perFile;

        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                FTPClient ftp = null;
                try {
                    for (int i = 0; i < files; i++) {
                        if (ftp == null) {
                            ftp = connect(host, port, user, password);
                        }
                        String name = name(plate(salt + seq.getAndIncrement()));
                        boolean ok = ftp.storeFile(name, new ByteArrayInputStream(jpeg));
                        if (ok) {
                            uploaded.increment();
                        } else { // 452: the hub holds too many files; the camera would retry later
                            refused.increment();
                            Thread.sleep(200);
                            i--;
                        }
                        if (connectPerFile) {
                            ftp.logout();
                            ftp.disconnect();
                            ftp = null;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    if (ftp != null) {
                        try {
                            ftp.logout();
                            ftp.disconnect();
                        } catch (IOException ignored) {
                            // done anyway
                        }
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long t1 = System.nanoTime();
        long total = (long) clients * files;
        double uploadS = (t1 - t0) / 1e9;
        System.out.printf("uploaded %d files with %d clients%s in %.2f s: %.0f uploads/s (%d refused with 452 and retried)%n",
                uploaded.sum(), clients, connectPerFile ? " (one login per file)" : "", uploadS, uploaded.sum() / uploadS,
                refused.sum());
        if (metrics != null) {
            long deadline = System.nanoTime() + 600_000_000_000L;
            double stored;
            while ((stored = metric(metrics, sample) - storedBefore) < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + stored + " of " + total + " reads stored after 10 min");
                }
                Thread.sleep(20);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("stored %d reads in %.2f s from the first upload: %.0f reads/s into the store%n",
                    (long) stored, s, stored / s);
        }
    }

    static FTPClient connect(String host, int port, String user, String password) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout(10_000);
        ftp.connect(host, port);
        if (!ftp.login(user, password)) {
            throw new IOException("login refused: " + ftp.getReplyString());
        }
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        return ftp;
    }

    /** A unique plate per number: two letters, two digits, three letters (UK style), e.g. {@code AB12CDE}. */
    static String plate(long n) {
        char[] p = new char[7];
        long x = n;
        for (int i : new int[]{6, 5, 4}) {
            p[i] = LETTERS.charAt((int) (x % LETTERS.length()));
            x /= LETTERS.length();
        }
        p[3] = (char) ('0' + x % 10);
        x /= 10;
        p[2] = (char) ('0' + x % 10);
        x /= 10;
        p[1] = LETTERS.charAt((int) (x % LETTERS.length()));
        x /= LETTERS.length();
        p[0] = LETTERS.charAt((int) (x % LETTERS.length()));
        return new String(p);
    }

    static String name(String plate) {
        return LocalDateTime.now(ZoneId.of("Europe/London")).minusSeconds(2)
                .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")) + "_" + plate + "_VEHICLE_DETECTION.jpg";
    }

    static double metric(String url, String sample) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
}
