package uk.anprhub.simulator.camera;

/** Registry YAML for the simulated cameras of the canonical feed: nas-json reads name their camera id. */
final class NasCameras {

    private NasCameras() {
    }

    static String yaml(int cameras) {
        StringBuilder b = new StringBuilder("# Simulated cameras of bin/anpr-hub camera-sim (nas-json, generated)\ncameras:\n");
        for (int i = 1; i <= cameras; i++) {
            b.append(String.format("  - cameraId: SIM-NAS-%04d%n    sourceId: SIM%n    feedId: SIM%n    vendor: nas%n", i));
        }
        return b.toString();
    }
}
