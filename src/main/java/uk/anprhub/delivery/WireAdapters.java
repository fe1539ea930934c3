package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.store.ImageStore;

import java.net.URI;

/** The wire adapter for a target's {@code type}: the one place that knows which formats exist. */
final class WireAdapters {

    private WireAdapters() {
    }

    static WireAdapter create(String id, DeliveryProperties.Target t, ImageStore images, ObjectMapper mapper, String defaultNasUrl) {
        String type = t.typeFor(id);
        var client = HttpClients.create(t.http());
        return switch (type) {
            case "nas" -> new NasJsonAdapter(client, t.url() != null ? t.url() : URI.create(defaultNasUrl), t.http(), images, mapper);
            case "bof2" -> {
                if (t.url() == null) {
                    throw new IllegalStateException("anpr.delivery.targets." + id + ".url is required for a bof2 target");
                }
                yield new Bof2SoapAdapter(client, t.url(), t.http(), t.bof2(), images, mapper);
            }
            default -> throw new IllegalStateException("anpr.delivery.targets." + id + ".type: unknown type '" + type
                    + "' (known: nas, bof2)");
        };
    }
}
