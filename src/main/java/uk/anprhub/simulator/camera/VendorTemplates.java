package uk.anprhub.simulator.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.camera.Camera;
import uk.anprhub.normalise.OfflineRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import static uk.anprhub.simulator.camera.TokenText.latin1;
import static uk.anprhub.simulator.camera.TokenText.replace;

/**
 * A vendor's messages made from its connector's samples. Each positive sample ({@code <name>.expected.json} with
 * reads) is a template: the strings of its expected reads — vendor read id, capture time as sent, plate as sent,
 * clean and spaced, and the camera identity the registry matched — are looked up in the payload and the file name
 * (ISO-8859-1 view of the bytes, so binary parts survive) and replaced per message by a fresh id of the same shape,
 * the current time in the vendor's format, a new plate and a simulated camera's identity. Samples whose expected
 * result is a quarantine reason are the bad payloads, sent as they are. What cannot be varied is kept and reported
 * once through {@code notes} (never with a plate). Finding the strings is {@link SlotFinder}'s job, the simulated
 * cameras' identities {@link SimulatedCameras}'.
 */
final class VendorTemplates implements MessageSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { ID, TIME, PLATE, PLATE_CLEAN, PLATE_SPACED, IDENTITY }

    /**
     * One string of a template replaced per message; {@code part} >= 0: one space-separated part of a time;
     * {@code key}: the registry identity an IDENTITY slot is.
     */
    record Slot(Kind kind, int read, String old, TimeShape time, int part, String key) {
    }

    record ExpectedRead(String asRead, String vrm, String cameraId) {
    }

    record Template(String name, String text, String filename, String contentType, Map<String, String> headers,
                    String folder, String remoteAddr, String topic, List<ExpectedRead> reads, List<Slot> slots,
                    boolean identityVaried) {
    }

    record Bad(String name, byte[] body, String contentType, String filename, Map<String, String> headers) {
    }

    private final String connectorId;
    private final boolean simulated;
    private final List<Template> templates;
    private final List<Bad> bads;
    private final SimulatedCameras sims;

    private VendorTemplates(String connectorId, boolean simulated, List<Template> templates, List<Bad> bads,
                            SimulatedCameras sims) {
        this.connectorId = connectorId;
        this.simulated = simulated;
        this.templates = templates;
        this.bads = bads;
        this.sims = sims;
    }

    /**
     * @param demoCameras the registry the samples' cameras are in (src/test/resources/cameras), to learn which identity matched
     * @param simulated   true: messages carry the identities of SIM-VENDOR-0001..N ({@link #registryYaml()});
     *                    false: they keep the samples' (demo) cameras
     */
    static VendorTemplates load(String connectorId, Path connectorsDir, List<Camera> demoCameras, int cameras,
                                boolean simulated, Consumer<String> notes) throws IOException {
        Map<String, byte[]> files = SampleFiles.samples(connectorId, connectorsDir);
        if (files.isEmpty()) {
            throw new IOException("no samples for connector '" + connectorId + "' under " + connectorsDir + " or the classpath");
        }
        List<Template> templates = new ArrayList<>();
        List<Bad> bads = new ArrayList<>();
        Map<String, String> identityBase = new LinkedHashMap<>();
        String vendor = null;
        Camera firstCamera = null;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            if (!OfflineRun.isPayload(Path.of(name))) {
                continue;
            }
            JsonNode meta = SampleFiles.yaml(files.get(SampleFiles.sibling(name, ".meta.yaml")));
            Map<String, String> headers = new LinkedHashMap<>();
            meta.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
            String filename = meta.path("filename").asText(name);
            String contentType = meta.hasNonNull("contentType") ? meta.get("contentType").asText() : null;
            if (files.containsKey(SampleFiles.sibling(name, ".expected-error.txt"))) {
                bads.add(new Bad(name, f.getValue(), contentType, filename, headers));
                continue;
            }
            byte[] expectedBytes = files.get(SampleFiles.sibling(name, ".expected.json"));
            JsonNode expected = expectedBytes == null ? null : JSON.readTree(expectedBytes);
            if (expected == null || !expected.isArray() || expected.isEmpty()) {
                continue; // no expected reads (an ignored event): nothing to vary
            }
            String text = new String(f.getValue(), StandardCharsets.ISO_8859_1);
            SlotFinder finder = new SlotFinder(name, text, filename, headers, notes);
            List<ExpectedRead> reads = new ArrayList<>();
            Camera camera = null;
            boolean varied = true;
            for (int i = 0; i < expected.size(); i++) {
                JsonNode r = expected.get(i);
                String cameraId = r.path("cameraId").asText();
                Camera c = demoCameras.stream().filter(x -> x.cameraId().equals(cameraId)).findFirst().orElse(null);
                camera = camera == null ? c : camera;
                vendor = vendor == null ? r.path("deviceRef").path("vendor").asText(null) : vendor;
                String vrm = r.path("vrm").asText();
                reads.add(new ExpectedRead(r.path("vrmAsRead").asText(vrm), vrm, cameraId));
                finder.read(i, r, c);
                varied &= finder.identity(r, c, identityBase); // every read of the template becomes the one simulated camera's
            }
            if (firstCamera != null && camera != null && !camera.timeFormats().equals(firstCamera.timeFormats())) {
                notes.accept(name + ": its camera writes dates in its own order (registry timeFormats), which the simulated"
                        + " cameras (after " + firstCamera.cameraId() + ") do not; not used as a template");
                continue;
            }
            firstCamera = firstCamera == null ? camera : firstCamera;
            templates.add(new Template(name, text, filename, contentType, headers, meta.path("folder").asText(null),
                    meta.path("remoteAddr").asText(null), meta.path("topic").asText(null), reads, finder.slots(), varied));
        }
        if (templates.isEmpty()) {
            throw new IOException("connector '" + connectorId + "' has no sample with expected reads to use as a template");
        }
        return new VendorTemplates(connectorId, simulated, List.copyOf(templates), List.copyOf(bads),
                new SimulatedCameras(connectorId, vendor == null ? connectorId : vendor, cameras, identityBase, firstCamera));
    }

    List<Template> templates() {
        return templates;
    }

    String vendor() {
        return sims.vendor();
    }

    @Override
    public Message next(RandomGenerator r) {
        return message(templates.get(r.nextInt(templates.size())), 1 + r.nextInt(sims.count()), r);
    }

    @Override
    public Message bad(RandomGenerator r) {
        if (bads.isEmpty()) {
            throw new IllegalStateException("connector '" + connectorId + "' has no bad samples (*.expected-error.txt)");
        }
        Bad b = bads.get(r.nextInt(bads.size()));
        return new Message(b.body(), b.contentType(), b.filename(), b.headers(), 0, true, List.of(), List.of());
    }

    boolean hasBadSamples() {
        return !bads.isEmpty();
    }

    @Override
    public double readsPerMessage() {
        return templates.stream().mapToInt(t -> t.reads().size()).average().orElse(1);
    }

    /** The template varied for simulated camera {@code camera} (1..N). */
    Message message(Template t, int camera, RandomGenerator r) {
        Instant now = Instant.now();
        int n = t.reads().size();
        String[] plates = new String[n];
        String[] asRead = new String[n];
        Instant[] times = new Instant[n];
        for (int i = 0; i < n; i++) {
            asRead[i] = Plates.like(t.reads().get(i).asRead(), r);
            plates[i] = Plates.clean(asRead[i]);
            times[i] = now.minusMillis(r.nextInt(2_000));
        }
        Map<Integer, String> ids = new HashMap<>();
        String text = t.text();
        String filename = t.filename();
        Map<String, String> headers = new LinkedHashMap<>(t.headers());
        for (Slot s : t.slots()) {
            String value = switch (s.kind()) {
                case ID -> ids.computeIfAbsent(s.read(), k -> Plates.sameShape(s.old(), r));
                case TIME -> timePart(s, times[s.read()]);
                case PLATE -> asRead[s.read()];
                case PLATE_CLEAN -> plates[s.read()];
                case PLATE_SPACED -> plates[s.read()].substring(0, plates[s.read()].length() - 3) + " "
                        + plates[s.read()].substring(plates[s.read()].length() - 3);
                case IDENTITY -> simulated ? sims.identity(s.key(), camera) : s.old();
            };
            String latin = latin1(value);
            text = replace(text, s.old(), latin);
            filename = replace(filename, s.old(), latin);
            headers.replaceAll((k, v) -> replace(v, s.old(), latin));
        }
        List<String> cameraIds = new ArrayList<>(n);
        for (ExpectedRead e : t.reads()) {
            cameraIds.add(simulated && t.identityVaried() ? sims.cameraId(camera) : e.cameraId());
        }
        return new Message(text.getBytes(StandardCharsets.ISO_8859_1), t.contentType(), filename, headers, n, false,
                List.of(plates), cameraIds);
    }

    private static String timePart(Slot s, Instant time) {
        String rendered = s.time().render().apply(time);
        if (s.part() < 0) {
            return rendered;
        }
        String part = rendered.split(" ")[s.part()];
        return part.endsWith("Z") && !s.old().endsWith("Z") ? part.substring(0, part.length() - 1) : part;
    }

    String cameraId(int camera) {
        return sims.cameraId(camera);
    }

    /** Registry YAML with the simulated cameras: the first template's camera with new ids and identities. */
    String registryYaml() throws IOException {
        return sims.registryYaml();
    }
}
