package uk.anprhub.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import uk.anprhub.model.ReadLimits;

/**
 * Bounds on one message ({@code anpr.ingest.*}), so a hostile or broken camera costs bounded work and storage.
 *
 * @param maxReadsPerMessage    reads one message may hold; also the most entries any JSON/XML array or object of a
 *                              message may have, checked while decoding, so a huge array is refused before it is
 *                              built. Beyond: the message is one quarantine row {@code too-many-reads}
 * @param maxRefusalsPerMessage refused reads of one message quarantined one row each; the rest are counted and
 *                              summarised in one further row (reason {@code more-refused-reads}). The payload is
 *                              stored once per message whatever the number of rows
 * @param maxTextLength         characters of a free-text read field (vehicle make, model, colour, type ...)
 * @param maxIdLength           characters of an identifier field (vendor read id, camera identity, country ...)
 * @param maxImageSize          one image of a read (JPEG or PNG only)
 */
@ConfigurationProperties("anpr.ingest")
public record IngestLimits(@DefaultValue("10000") int maxReadsPerMessage,
                           @DefaultValue("100") int maxRefusalsPerMessage,
                           @DefaultValue("256") int maxTextLength,
                           @DefaultValue("128") int maxIdLength,
                           @DefaultValue("2MB") DataSize maxImageSize) {

    public static final IngestLimits DEFAULTS = new IngestLimits(10_000, 100, 256, 128, DataSize.ofMegabytes(2));

    public ReadLimits readLimits() {
        return new ReadLimits(maxTextLength, maxIdLength, maxImageSize.toBytes());
    }
}
