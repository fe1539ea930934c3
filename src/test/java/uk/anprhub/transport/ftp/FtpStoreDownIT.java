package uk.anprhub.transport.ftp;

import org.apache.camel.Consumer;
import org.apache.camel.spi.RouteIdAware;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store goes down for real: the test's PostgreSQL process is stopped (not a fake DataSource), so the hub's
 * writers fail to connect and IngestService answers 503. An uploaded file must stay where the camera put it,
 * neither moved nor deleted, and once PostgreSQL is back it must be stored and moved, without any restart.
 */
class FtpStoreDownIT extends FtpHubIT {

    @Test
    void withTheDatabaseDownAFileStaysInPlaceAndIsStoredOnceItIsBack() throws Exception {
        String plate = plate();
        String name = hikvisionName(plate);
        byte[] jpeg = sample("hikvision-ftp", "002-plate-with-hyphen.jpg");
        Path file = home("Driveway").resolve(name);
        double retriesBefore = retries();
        stopDatabase();
        // Let the pool's connections go stale (Hikari re-validates a connection idle > 500 ms). A writer that
        // instead runs a batch on a connection whose server just died hits an AssertionError inside pgjdbc under
        // -ea (tests only), which ReadWriter does not catch: that writer thread dies and its senders wait out the
        // 30 s commit timeout (reported; ReadWriter is not part of the FTP transport).
        Thread.sleep(1000);
        try {
            upload("driveway", name, jpeg); // the upload itself is answered: the file is on disk (fsynced)
            await("at least one refused attempt", Duration.ofSeconds(30), () -> retries() > retriesBefore);
            Thread.sleep(1000); // a second more of refused attempts, then what must not have happened
            assertThat(file).exists().hasBinaryContent(jpeg);
            assertThat(archived("Driveway", "done", name)).doesNotExist();
            assertThat(archived("Driveway", "failed", name)).doesNotExist();
            assertThat(inbox.pending()).isGreaterThanOrEqualTo(1);
        } finally {
            startDatabase();
        }
        await("stored after the database came back", Duration.ofSeconds(40), () -> reads(plate, "MPS-HIK-0003") == 1);
        await("moved to done/", Duration.ofSeconds(20), () -> Files.exists(archived("Driveway", "done", name)));
        assertThat(file).doesNotExist();
        assertThat(quarantineReasons(name)).as("an outage is not a quarantine").isEmpty();
    }

    @Test
    void aPollLeaseThatCouldNotBeGivenBackWhileTheDatabaseWasAwayIsGivenBackOnceItAnswers() throws Exception {
        // the poll strategy of the real hub, with a consumer of its own name (the shipped poller keeps polling meanwhile)
        Consumer poller = (Consumer) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Consumer.class, RouteIdAware.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRouteId" -> "lease-test";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        assertThat(pollStrategy.begin(poller, null)).as("lease taken").isTrue();
        stopDatabase();
        try {
            pollStrategy.commit(poller, null, 0); // the give-back fails: no exception reaches Camel
            assertThat(pollStrategy.begin(poller, null)).as("no poll while the database is away").isFalse();
        } finally {
            startDatabase();
        }
        // before the fix the lease stayed taken for its 10 minutes: no poll of that server meanwhile
        await("a poll once the database answers", Duration.ofSeconds(30), () -> pollStrategy.begin(poller, null));
        pollStrategy.commit(poller, null, 0);
        assertThat(jdbc.queryForObject("select lock_until <= timezone('utc', now()) from shedlock where name = 'poll-lease-test'",
                Boolean.class)).as("lease given back after the poll").isTrue();
    }

    @Autowired
    ClusterPollStrategy pollStrategy;

    private double retries() {
        var c = meters.find("anpr_ftp_files").tag("outcome", "retry").counter();
        return c == null ? 0 : c.count();
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
}
