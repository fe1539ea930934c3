package uk.anprhub.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreSecretTest {

    @TempDir
    Path dir;

    @Test
    void aNewSecretIsLongRandomAndReadableByTheOwnerOnly() throws Exception {
        Path file = dir.resolve("postgres-secret");
        String secret = StoreSecret.readOrCreate(file);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(StoreSecret.readOrCreate(file)).isEqualTo(secret);
        assertThat(StoreSecret.readOrCreate(dir.resolve("other"))).isNotEqualTo(secret);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("postgres-secret", "other");
        }
    }

    @Test
    void aSecretFileOpenedToOthersIsClosedAgain() throws Exception {
        Path file = dir.resolve("postgres-secret");
        String secret = StoreSecret.readOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(StoreSecret.readOrCreate(file)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anEmptySecretFileIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("postgres-secret"), "\n");
        assertThatThrownBy(() -> StoreSecret.readOrCreate(file)).hasMessageContaining("empty");
    }

    @Test
    void trustRulesAreFoundCommentsAreNot() throws Exception {
        Path zonky = Files.writeString(dir.resolve("a.conf"), """
                # "local" is for Unix domain socket connections only
                local   all             all                                     trust
                host    all             all             127.0.0.1/32            trust
                """);
        Path ours = Files.writeString(dir.resolve("b.conf"), """
                # no trust here: see "trust" in the docs
                host  all all 127.0.0.1/32  scram-sha-256
                """);
        assertThat(EmbeddedStore.trustsAnyone(zonky)).isTrue();
        assertThat(EmbeddedStore.trustsAnyone(ours)).isFalse();
    }
}
