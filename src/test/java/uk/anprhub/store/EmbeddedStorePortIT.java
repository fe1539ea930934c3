package uk.anprhub.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15.7: the embedded store keeps its port across restarts (pg_dump, psql and firewall rules find it). */
class EmbeddedStorePortIT {

    @TempDir
    Path data;

    @Test
    void aRestartKeepsThePortAndAnOperatorCanChooseAnother() throws Exception {
        String first;
        try (EmbeddedStore store = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres)) {
            first = store.jdbcUrl();
        }
        assertThat(data.resolve("postgres-port")).exists();
        try (EmbeddedStore again = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres)) {
            assertThat(again.jdbcUrl()).isEqualTo(first);
        }
        int chosen = uk.anprhub.support.FreePorts.next();
        Files.writeString(data.resolve("postgres-port"), chosen + "\n");
        try (EmbeddedStore moved = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres)) {
            assertThat(moved.jdbcUrl()).contains("localhost:" + chosen + "/");
        }
    }

    @Test
    void aTakenPortIsNotFatal() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.createDirectories(data);
            Files.writeString(data.resolve("postgres-port"), squatter.getLocalPort() + "\n");
            try (EmbeddedStore store = EmbeddedStore.start(data, StoreConfiguration::embeddedPostgres)) {
                assertThat(store.jdbcUrl()).doesNotContain(":" + squatter.getLocalPort() + "/");
                assertThat(Files.readString(data.resolve("postgres-port")).trim())
                        .isNotEqualTo(String.valueOf(squatter.getLocalPort()));
            }
        }
    }
}
