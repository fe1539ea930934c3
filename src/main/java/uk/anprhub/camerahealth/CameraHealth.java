package uk.anprhub.camerahealth;

import uk.anprhub.store.CommitListener.Committed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per camera, in memory: the last read, a learned normal gap between reads, the clock drift, back-dated bursts, the
 * share of poor reads ({@link ReadQuality}) and the read rate against its hour-of-week baseline ({@link HourOfWeekRate});
 * {@link #evaluate} turns them into states and flags and reports what changed. No Spring, no database: tested with a fixed clock.
 */
final class CameraHealth {

    /**
     * A state change ({@code state}: ok/silent/never-seen) or a flag change: {@code drift} (ok/drifting),
     * {@code quality} (ok/poor), {@code rate} (ok/quiet).
     */
    record Change(String cameraId, String kind, String from, String to, Duration silentFor, Double driftSeconds) {
    }

    private final CameraHealthProperties props;
    private final Clock clock;
    private final Map<String, Tracker> cameras = new ConcurrentHashMap<>();

    CameraHealth(CameraHealthProperties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /** The registry's cameras: new ones start as never-seen, ones no longer registered are forgotten. */
    void registered(Collection<String> cameraIds) {
        Set<String> ids = new HashSet<>(cameraIds);
        cameras.keySet().retainAll(ids);
        ids.forEach(id -> cameras.computeIfAbsent(id, k -> new Tracker(clock.instant())));
    }

    /** At start, from the store: the camera's last read (no gap learned from it). */
    void seed(String cameraId, Instant received, Instant captured) {
        Tracker t = cameras.computeIfAbsent(cameraId, k -> new Tracker(clock.instant()));
        synchronized (t) {
            if (t.lastReceived == null || received.isAfter(t.lastReceived)) {
                t.lastReceived = received;
                t.lastCaptured = captured;
                t.state = CameraStatus.OK;
            }
        }
    }

    void record(List<Committed> reads) {
        for (Committed r : reads) {
            Tracker t = cameras.computeIfAbsent(r.cameraId(), k -> new Tracker(clock.instant()));
            synchronized (t) {
                t.record(r.capturedAt(), r.receivedAt());
                t.quality.add(r.vrmBestGuess(),
                        r.confidencePct() != null && r.confidencePct() < props.lowConfidence());
                t.rate.add(r.receivedAt());
            }
        }
    }

    /** States as of now; the changes since the last evaluation. */
    List<Change> evaluate() {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        cameras.forEach((id, t) -> {
            synchronized (t) {
                String state = t.lastReceived == null ? CameraStatus.NEVER_SEEN
                        : Duration.between(t.lastReceived, now).compareTo(t.bound()) > 0 ? CameraStatus.SILENT : CameraStatus.OK;
                Duration quiet = CameraStatus.SILENT.equals(state) ? Duration.between(t.lastReceived, now) : t.endedSilence;
                if (!state.equals(t.state)) {
                    changes.add(new Change(id, "state", t.state, state, quiet, null));
                    t.state = state;
                }
                t.silentFor = CameraStatus.SILENT.equals(state) ? quiet : null;
                t.endedSilence = null;
                Double drift = t.drift();
                boolean drifting = drift != null && Math.abs(drift) > props.driftLimit().toMillis() / 1000.0;
                if (drifting != t.drifting) {
                    changes.add(new Change(id, "drift", t.drifting ? "drifting" : "ok", drifting ? "drifting" : "ok", null, drift));
                    t.drifting = drifting;
                }
                Double share = t.quality.poorShare();
                boolean poor = t.quality.reads() >= props.qualityMinReads() && share > props.poorShare();
                if (poor != t.poorReads) {
                    changes.add(new Change(id, "quality", t.poorReads ? "poor" : "ok", poor ? "poor" : "ok", null, null));
                    t.poorReads = poor;
                }
                t.verdict = t.rate.judge(now);
                boolean low = t.verdict.quiet() && CameraStatus.OK.equals(state); // silent is its own state
                if (low != t.quiet) {
                    changes.add(new Change(id, "rate", t.quiet ? "quiet" : "ok", low ? "quiet" : "ok", null, null));
                    t.quiet = low;
                }
            }
        });
        return changes;
    }

    /** As of the last evaluation, sorted by camera id. */
    List<CameraStatus> statuses() {
        List<CameraStatus> out = new ArrayList<>(cameras.size());
        cameras.forEach((id, t) -> {
            synchronized (t) {
                out.add(t.status(id));
            }
        });
        out.sort(Comparator.comparing(CameraStatus::cameraId));
        return out;
    }

    long count(String state) {
        return cameras.values().stream().filter(t -> state.equals(t.state)).count();
    }

    long drifting() {
        return cameras.values().stream().filter(t -> t.drifting).count();
    }

    long poorReads() {
        return cameras.values().stream().filter(t -> t.poorReads).count();
    }

    long quiet() {
        return cameras.values().stream().filter(t -> t.quiet).count();
    }

    /** Mutable state of one camera; guarded by its own monitor. */
    private final class Tracker {
        Instant lastReceived;
        Instant lastCaptured;
        Double normalGapMillis;
        volatile String state = CameraStatus.NEVER_SEEN; // volatile: counted by scrapes without the lock
        Duration silentFor;
        Duration endedSilence; // how long the silence a read just ended lasted (for the recovery's log line)
        volatile boolean drifting;
        final ArrayDeque<Long> offsets = new ArrayDeque<>(); // received − captured, ms, the last driftWindow reads
        long backdated;
        long bursts;
        Instant lastBackdated;
        final ReadQuality quality = new ReadQuality(props.qualityWindow());
        final HourOfWeekRate rate;
        volatile boolean poorReads;
        volatile boolean quiet;
        HourOfWeekRate.Verdict verdict = new HourOfWeekRate.Verdict(0, null, false);

        Tracker(Instant followedFrom) {
            this.rate = new HourOfWeekRate(props, followedFrom);
        }

        void record(Instant captured, Instant received) {
            Duration late = Duration.between(captured, received);
            if (late.compareTo(props.backdatedAfter()) > 0) { // an edge buffer emptying: counted, kept out of the drift
                backdated++;
                if (lastBackdated == null || Duration.between(lastBackdated, received).compareTo(props.burstGap()) > 0) {
                    bursts++;
                }
                lastBackdated = received;
            } else {
                offsets.addLast(late.toMillis());
                while (offsets.size() > props.driftWindow()) {
                    offsets.removeFirst();
                }
            }
            if (lastReceived == null) {
                lastReceived = received;
                lastCaptured = captured;
                return;
            }
            if (!received.isAfter(lastReceived)) {
                return; // the same message's reads, or two writers' commits out of order: no gap
            }
            Duration gap = Duration.between(lastReceived, received);
            if (CameraStatus.SILENT.equals(state) && endedSilence == null) {
                endedSilence = gap;
            }
            // a gap longer than the bound ended a silence: learning it would make the next silence take longer to see
            if (gap.compareTo(bound()) <= 0) {
                double g = gap.toMillis();
                normalGapMillis = normalGapMillis == null ? g : normalGapMillis + props.smoothing() * (g - normalGapMillis);
            }
            lastReceived = received;
            lastCaptured = captured;
        }

        Duration bound() {
            Duration floor = props.floor();
            if (normalGapMillis == null) {
                return floor;
            }
            Duration learned = Duration.ofMillis(Math.round(props.factor() * normalGapMillis));
            return learned.compareTo(floor) > 0 ? learned : floor;
        }

        Double drift() {
            if (offsets.isEmpty()) {
                return null;
            }
            long[] v = offsets.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
            return median / 1000.0;
        }

        CameraStatus status(String id) {
            Double drift = drift();
            return new CameraStatus(id, state, lastReceived, lastCaptured,
                    CameraStatus.SILENT.equals(state) && silentFor != null ? silentFor.toSeconds() : null,
                    normalGapMillis == null ? null : Math.round(normalGapMillis) / 1000.0, bound().toSeconds(),
                    drift, drifting, backdated, bursts,
                    quality.reads(), quality.unreadable(), quality.lowConfidence(),
                    quality.poorShare() == null ? null : Math.round(quality.poorShare() * 1000) / 1000.0, poorReads,
                    verdict.reads(), verdict.expected() == null ? null : Math.round(verdict.expected() * 10) / 10.0, quiet);
        }
    }
}
