package uk.anprhub.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The delivery route of one target ({@code delivery-nas}) as Camel runs it, with the delivery service mocked: the
 * timer drains the target, and suspending/resuming the route (Hawtio, JMX) pauses/resumes the target, while a pause
 * made through the service suspends the route without being reported back as a second pause.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = DeliveryRoutesTest.Wiring.class,
        properties = "camel.main.routes-include-pattern=classpath:none/*.yaml") // the Java routes alone
class DeliveryRoutesTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    static class Wiring {
        @Bean
        TargetWorker nasWorker() {
            TargetWorker w = mock(TargetWorker.class);
            when(w.id()).thenReturn("nas");
            when(w.config()).thenReturn(DeliveryProperties.Target.defaults());
            return w;
        }

        @Bean
        DeliveryService deliveryService(TargetWorker nas) {
            DeliveryService d = mock(DeliveryService.class);
            when(d.workers()).thenReturn(Map.of("nas", nas));
            when(d.worker("nas")).thenReturn(nas);
            return d;
        }

        @Bean
        DeliveryRoutes deliveryRoutes(DeliveryService delivery) {
            return new DeliveryRoutes(delivery);
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    DeliveryService delivery;
    @Autowired
    TargetWorker nas;
    @Autowired
    DeliveryRoutes routes;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "delivery-nas",
                    a -> a.weaveById("delivery-nas-drain").after().to("mock:drained"));
            camel.start();
        }
        if (camel.getRouteController().getRouteStatus("delivery-nas") != ServiceStatus.Started) {
            when(nas.paused()).thenReturn(true); // resuming: the target is paused, so the policy's resume is ours
            camel.getRouteController().resumeRoute("delivery-nas");
        }
        when(nas.paused()).thenReturn(false);
        MockEndpoint.resetMocks(camel);
        clearInvocations(delivery);
    }

    @Test
    void theTimerDrainsTheTargetWhileTheRouteRuns() throws Exception {
        MockEndpoint drained = camel.getEndpoint("mock:drained", MockEndpoint.class);
        drained.expectedMinimumMessageCount(1);
        drained.setResultWaitTime(10_000);

        drained.assertIsSatisfied();
        ArgumentCaptor<BooleanSupplier> keepGoing = ArgumentCaptor.forClass(BooleanSupplier.class);
        verify(delivery, atLeastOnce()).drain(eq("nas"), keepGoing.capture());
        assertThat(keepGoing.getValue().getAsBoolean()).as("keep draining while the route runs").isTrue();
    }

    @Test
    void suspendingTheRouteInHawtioPausesTheTargetAndResumingResumesIt() throws Exception {
        camel.getRouteController().suspendRoute("delivery-nas");

        assertThat(camel.getRouteController().getRouteStatus("delivery-nas")).isEqualTo(ServiceStatus.Suspended);
        verify(delivery).pause("nas", "route delivery-nas suspended");

        when(nas.paused()).thenReturn(true);
        camel.getRouteController().resumeRoute("delivery-nas");
        verify(delivery).resume("nas", "route delivery-nas resumed");
    }

    @Test
    void aPauseThroughTheServiceSuspendsTheRouteWithoutPausingAgain() {
        when(nas.paused()).thenReturn(true); // DeliveryService.pause has paused the worker, then asks for the route

        routes.suspend("nas");

        await().atMost(Duration.ofSeconds(10)).until(
                () -> camel.getRouteController().getRouteStatus("delivery-nas") == ServiceStatus.Suspended);
        verify(delivery, never()).pause(anyString(), anyString());
    }
}
