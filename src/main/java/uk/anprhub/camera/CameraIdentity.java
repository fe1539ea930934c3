package uk.anprhub.camera;

/**
 * How a read names the camera it came from, as the registry matches it (docs/camera-registry.md): a registry
 * cameraId, or the device's own identities (serial, MAC, server IP with its channel, i.e. camera number, FTP folder,
 * MQTT name, channel name), each scoped by the vendor. Any field may be null; blanks count as absent.
 */
public record CameraIdentity(String vendor, String cameraId, String serial, String mac, String ip, String channel,
                             String ftpFolder, String mqttName, String name) {
}
