package uk.anprhub.simulator.camera;

import java.util.List;
import java.util.Map;

/**
 * One message a simulated camera sends: the bytes plus the transport metadata a template carries.
 *
 * @param filename  file name for FTP uploads (for filename connectors it carries plate and time)
 * @param reads     reads the hub should store from it (0 for a bad payload)
 * @param plates    the clean plates in it, for tests that check the store; never logged
 * @param cameraIds the camera ids its reads should resolve to (simulated or, when not variable, the sample's)
 */
record Message(byte[] body, String contentType, String filename, Map<String, String> headers, int reads, boolean bad,
               List<String> plates, List<String> cameraIds) {
}
