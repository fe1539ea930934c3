package uk.anprhub.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightWindowTest {

    @Test
    void troubleHalvesDownToTheProbeSizeAndPromptAnswersDoubleBack() {
        InFlightWindow w = new InFlightWindow(500, 10);
        assertThat(w.batchSize()).isEqualTo(500);
        assertThat(w.narrowed()).isFalse();
        for (int i = 0; i < 10; i++) {
            w.trouble();
        }
        assertThat(w.batchSize()).isEqualTo(10);
        assertThat(w.narrowed()).as("one worker while in trouble").isTrue();
        w.prompt();
        assertThat(w.batchSize()).isEqualTo(20);
        for (int i = 0; i < 10; i++) {
            w.prompt();
        }
        assertThat(w.batchSize()).isEqualTo(500);
        assertThat(w.narrowed()).isFalse();
    }

    @Test
    void theDefaultLeaseIsSizedToTheRequestTimeout() {
        DeliveryProperties p = DeliveryProperties.bind(java.util.Map.of(
                "anpr.delivery.targets.nas.http.request-timeout", "10s",
                "anpr.delivery.targets.bof2.http.request-timeout", "10s",
                "anpr.delivery.targets.bof2.batch-size", "40",
                "anpr.delivery.targets.bof2.http.concurrency", "8",
                "anpr.delivery.targets.slow.lease", "7m"));
        // a full batch (8 MB at 512 KB/s: 16 s more than the request timeout) per round of sends, plus the request timeout
        assertThat(p.targets().get("nas").leaseFor("nas")).hasSeconds(26 + 10);
        assertThat(p.targets().get("bof2").leaseFor("bof2")).as("5 rounds of 8 sends, plus one").hasSeconds(5 * 26 + 10);
        assertThat(p.targets().get("slow").leaseFor("slow")).hasMinutes(7);
        assertThat(DeliveryProperties.Target.defaults().leaseFor("nas")).as("default: 30 s + 16 s + 30 s").hasSeconds(76);
    }
}
