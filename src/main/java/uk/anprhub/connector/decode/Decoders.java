package uk.anprhub.connector.decode;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The generic decoders by the name a connector.yaml gives them; instances are stateless and shared. */
public final class Decoders {

    private static final Map<String, Decoder> BY_NAME = Map.of(
            "json", new JsonDecoder(),
            "jsonc", new JsoncDecoder(),
            "xml", new XmlDecoder(),
            "kv", new KvDecoder(),
            "multipart", new MultipartDecoder(),
            "filename", new FilenameDecoder(),
            "text", new TextDecoder());

    private Decoders() {
    }

    public static Decoder byName(String name) {
        Decoder decoder = name == null ? null : BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
        if (decoder == null) {
            throw new IllegalArgumentException(
                    "unknown decoder '" + name + "'; known decoders: " + String.join(", ", names()));
        }
        return decoder;
    }

    /** The known decoder names, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}
