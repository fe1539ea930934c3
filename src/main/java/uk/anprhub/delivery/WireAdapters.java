package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.ssl.SslBundles;
import uk.anprhub.store.ImageStore;

import java.net.URI;

/** The wire adapter for a target's {@code type}: the one place that knows which formats exist. */
final class WireAdapters {

    private WireAdapters() {
    }

    static WireAdapter create(String id, DeliveryProperties.Target t, ImageStore images, ObjectMapper mapper, String defaultNasUrl,
                              SslBundles bundles) {
        String type = t.typeFor(id);
        HttpClients.Client client;
        try {
            client = HttpClients.create(t.http(), bundles);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException("anpr.delivery.targets." + id + ": " + e.getMessage(), e);
        }
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
