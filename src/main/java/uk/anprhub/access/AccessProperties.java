package uk.anprhub.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * The force's access policy ({@code anpr.access.*}).
 *
 * @param purposes the purpose codes a search, national search or export may give (the force's own list)
 */
@ConfigurationProperties("anpr.access")
public record AccessProperties(
        @DefaultValue({"crime-investigation", "counter-terrorism", "safeguarding", "road-policing", "missing-person",
                "intelligence", "disaster-recovery"}) List<String> purposes) {
}
