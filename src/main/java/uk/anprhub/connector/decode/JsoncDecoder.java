package uk.anprhub.connector.decode;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.message.RawMessage;

import java.util.Map;

/**
 * JSON with {@code //} and {@code /* *}{@code /} comments and trailing commas, as vendor docs write their samples
 * (Frigate). Same limits and error reporting as {@link JsonDecoder}.
 */
public final class JsoncDecoder implements Decoder {

    private static final ObjectMapper MAPPER = JsonDecoder.mapper(new JsonFactoryBuilder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA));

    public JsoncDecoder() {
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        return Decoded.of(JsonDecoder.parse(MAPPER, message.payload()));
    }
}
