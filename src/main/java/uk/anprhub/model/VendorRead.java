package uk.anprhub.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What a connector's mapping extracts from a vendor message, before the shared normalisation (see
 * docs/connector-contract.md section 3). Loosely typed on purpose: vendors send numbers as strings, "-" for
 * absent, and several time conventions; the {@code normalise.Normaliser} turns this into a {@link NasRead}.
 * {@code vrmGuess} is the vendor's best guess of a plate whose {@code vrm} marks characters it could not read.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record VendorRead(
        JsonNode vrm,
        JsonNode vrmGuess,
        JsonNode time,
        String timeFormat,
        String timeSource,
        JsonNode vendorReadId,
        Device device,
        JsonNode confidence,
        JsonNode confidenceScale,
        JsonNode direction,
        JsonNode headingDeg,
        JsonNode lane,
        JsonNode country,
        JsonNode latitude,
        JsonNode longitude,
        Dms latitudeDms,
        Dms longitudeDms,
        Image plateImage,
        Image overviewImage,
        NasRead.Vehicle vehicle,
        NasRead.PlateBox plateBox,
        NasRead.Ptz ptz,
        List<String> flags) {

    public record Device(String cameraId, String serial, String mac, String ip, String channel, String name,
                         String ftpFolder, String mqttName, String model) {
    }

    public record Dms(JsonNode degree, JsonNode minute, JsonNode sec, String direction) {
    }

    /**
     * Where an image is: inline base64, a multipart part by name, the message payload itself, a URL, or a reference
     * ({@code ref}: a name or path on the camera) that the connector's {@code pictures.url} template turns into a URL.
     */
    public record Image(Base64Text base64, String part, Boolean payload, String url, String contentType, String ref) {
    }
}
