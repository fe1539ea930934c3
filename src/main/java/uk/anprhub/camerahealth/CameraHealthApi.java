package uk.anprhub.camerahealth;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/cameras/health} (role ops, like all of /api; docs/camera-health.md): camera ids and states, no plates. */
@RestController
class CameraHealthApi {

    record Answer(Instant at, long silent, long drifting, long poorReads, long quiet, List<CameraStatus> cameras) {
    }

    private final CameraHealthService service;
    private final Clock clock;

    CameraHealthApi(CameraHealthService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    @GetMapping("/api/v1/cameras/health")
    Answer health() {
        return new Answer(clock.instant(), service.silent(), service.drifting(), service.poorReads(), service.quiet(),
                service.statuses());
    }
}
