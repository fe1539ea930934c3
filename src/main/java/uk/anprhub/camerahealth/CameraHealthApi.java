package uk.anprhub.camerahealth;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/cameras/health} (role ops, like all of /api; docs/camera-health.md): camera ids and states, no plates. */
@RestController
class CameraHealthApi {

    record Answer(Instant at, long silent, long drifting, List<CameraStatus> cameras) {
    }

    private final CameraHealthService service;

    CameraHealthApi(CameraHealthService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/cameras/health")
    Answer health() {
        return new Answer(Instant.now(), service.silent(), service.drifting(), service.statuses());
    }
}
