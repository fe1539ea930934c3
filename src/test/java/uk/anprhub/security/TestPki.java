package uk.anprhub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Test certificates made with the JDK's {@code keytool} (no extra dependency), PKCS12, one password: a CA; a server
 * certificate for {@code localhost} and a client certificate, both issued by the CA (each file holds key + chain);
 * {@code trust.p12} holding only the CA; {@code rogue.p12}, a self-signed client certificate nobody trusts.
 */
record TestPki(Path dir, String password) {

    Path ca() {
        return dir.resolve("ca.p12");
    }

    Path server() {
        return dir.resolve("server.p12");
    }

    Path client() {
        return dir.resolve("client.p12");
    }

    Path trust() {
        return dir.resolve("trust.p12");
    }

    Path rogue() {
        return dir.resolve("rogue.p12");
    }

    static TestPki create() throws IOException {
        TestPki pki = new TestPki(Files.createTempDirectory("anpr-pki"), "test-pki-password");
        pki.make();
        return pki;
    }

    private void make() {
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=ANPR Hub test CA", "-ext", "bc:c", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        // Independent branches in parallel: each keytool is a JVM start (~1 s).
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> issue("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1", "eku=serverAuth")),
                CompletableFuture.runAsync(() -> issue("client", "CN=anpr-hub,O=Test Force", null, "eku=clientAuth")),
                CompletableFuture.runAsync(() -> {
                    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
                    keytool("-genkeypair", "-alias", "rogue", "-dname", "CN=anpr-hub,O=Somebody Else", "-keystore", "rogue.p12");
                })).join();
    }

    /** A key pair in {@code <name>.p12} whose certificate the CA signs; the chain (cert + CA) is installed as the reply. */
    private void issue(String name, String dname, String san, String eku) {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-dname", dname, "-keystore", store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".pem", "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        try {
            Files.writeString(dir.resolve(name + "-chain.pem"), Files.readString(dir.resolve(name + ".pem"))
                    + Files.readString(dir.resolve("ca.pem")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        keytool("-importcert", "-noprompt", "-alias", name, "-file", name + "-chain.pem", "-keystore", store);
    }

    private void keytool(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        if (List.of(args).contains("-gencert")) {
            cmd.addAll(List.of("-validity", "2"));
        }
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
