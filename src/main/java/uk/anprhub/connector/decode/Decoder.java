package uk.anprhub.connector.decode;

import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.util.Map;

/**
 * Turns a raw message into a tree for the mapping. Decoders are generic (one per wire syntax, not per vendor)
 * and stateless; they throw {@link RejectedException} with reason {@code undecodable} or {@code unsafe-xml}.
 */
public interface Decoder {

    Decoded decode(RawMessage message, Map<String, String> options) throws RejectedException;

    /**
     * This decoder for one connector's {@code options}, checked and prepared once when the connector is loaded
     * (e.g. a pattern compiled); a bad option throws {@link IllegalArgumentException} and refuses that connector.
     * Stateless decoders return themselves.
     */
    default Decoder bind(Map<String, String> options) {
        return this;
    }
}
