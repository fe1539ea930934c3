package uk.anprhub.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Jolokia (Hawtio's back end) access policy ({@code anpr.jolokia.*}).
 *
 * @param policyLocation the Jolokia policy file ({@code classpath:} or a URL such as {@code file:/etc/anpr/jolokia-access.xml}):
 *                       request types, allowed operations, CORS. The default allows reads, Camel route
 *                       start/resume (suspend only on delivery routes, where it pauses the target; stop nowhere), the
 *                       read-only dumps of Hawtio's route diagram, the operations of the hub's own MBeans
 *                       ({@code uk.anprhub:*}), and no cross-origin access.
 */
@ConfigurationProperties("anpr.jolokia")
public record JolokiaPolicyProperties(@DefaultValue("classpath:/jolokia-access.xml") String policyLocation) {
}
