package uk.anprhub.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rounds of picture fetches run on a thread of their own: a round stuck on silent cameras holds back neither the
 * hub's shared scheduler nor the next start; stopping the hub interrupts it.
 */
class PictureFetchJobTest {

    @Test
    void aStuckRoundRunsOnItsOwnThreadAndStoppingInterruptsIt() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch inRound = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        var job = new PictureFetchConfiguration.PictureFetchJob(() -> {
            rounds.incrementAndGet();
            thread.set(Thread.currentThread().getName());
            inRound.countDown();
            try {
                Thread.sleep(60_000); // a camera that never answers, and no timeout
            } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
            }
            return 0;
        }, Duration.ofMillis(20));
        job.start();
        assertThat(inRound.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get()).isEqualTo("picture-fetch");
        Thread.sleep(200);
        assertThat(rounds.get()).as("no second round while one is running").isEqualTo(1);
        job.stop();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(job.isRunning()).isFalse();
    }

    @Test
    void aFailedRoundIsTriedAgainNextRound() throws Exception {
        CountDownLatch twice = new CountDownLatch(2);
        var job = new PictureFetchConfiguration.PictureFetchJob(() -> {
            twice.countDown();
            throw new java.sql.SQLException("database away");
        }, Duration.ofMillis(20));
        job.start();
        try {
            assertThat(twice.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            job.stop();
        }
    }
}
