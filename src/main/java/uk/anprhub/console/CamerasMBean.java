package uk.anprhub.console;

/**
 * {@code uk.anprhub:type=Cameras} in Hawtio's JMX tree: which cameras the hub hears from. Camera ids only — never a
 * plate. Figures from the store, computed at most every 30 s (reading them costs one grouped query).
 */
public interface CamerasMBean {

    /** Cameras in the registry. */
    int getRegistered();

    /** Cameras (registered or not) with a read received in the last hour. */
    int getSeenInLastHour();

    /** Registered cameras without a read in the last hour. */
    int getNotSeenInLastHour();

    /** One line per camera, by id: {@code <cameraId> <last read received, UTC>} or {@code <cameraId> never}. */
    String[] getLastSeen();

    /** When the figures were computed (UTC). */
    String getComputedAt();
}
