package uk.anprhub.national;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The force's access tiers for national searches ({@code anpr.access.*}, beside the purposes of
 * {@link uk.anprhub.access.AccessProperties}).
 *
 * @param nationalWindow        a search reaching further back than this needs a supervisor's authorisation
 * @param nationalMaxSpan       the longest time range of one national search
 * @param authorisationValidity how long an authorisation stays usable when the supervisor gives no {@code validFor}
 * @param authorisationMaxValidity the longest {@code validFor} a supervisor may give
 */
@ConfigurationProperties("anpr.access")
public record NationalPolicy(@DefaultValue("P90D") Duration nationalWindow, @DefaultValue("P366D") Duration nationalMaxSpan,
                             @DefaultValue("PT24H") Duration authorisationValidity,
                             @DefaultValue("P7D") Duration authorisationMaxValidity) {
}
