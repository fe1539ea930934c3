package uk.anprhub.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Jolokia (Hawtio's back end) access policy ({@code anpr.jolokia.*}).
 *
 * @param policyLocation the Jolokia policy file ({@code classpath:} or a URL such as {@code file:/etc/anpr/jolokia-access.xml}):
 *                       request types, allowed operations, CORS. The default allows reads and Camel route
 *                       start/stop/suspend/resume only, and no cross-origin access.
 */
@ConfigurationProperties("anpr.jolokia")
public record JolokiaPolicyProperties(@DefaultValue("classpath:/jolokia-access.xml") String policyLocation) {
}
