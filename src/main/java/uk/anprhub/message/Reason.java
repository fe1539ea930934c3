package uk.anprhub.message;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a message or read is quarantined: the stable codes of docs/connector-contract.md section 6 (the first line of
 * a connector's {@code *.expected-error.txt}, the {@code reason} of a quarantine row, the {@code reason} label of
 * {@code anpr_reads_quarantined_total}). {@code ReasonTest} holds this list and the documented table to each other.
 */
public enum Reason {
    UNDECODABLE("undecodable"),
    UNSAFE_XML("unsafe-xml"),
    UNSUPPORTED_CONTENT_TYPE("unsupported-content-type"),
    MAPPING_FAILED("mapping-failed"),
    MISSING_VRM("missing-vrm"),
    NO_PLATE("no-plate"),
    PARTIAL_VRM("partial-vrm"),
    INVALID_VRM("invalid-vrm"),
    MISSING_CAPTURE_TIME("missing-capture-time"),
    INVALID_CAPTURE_TIME("invalid-capture-time"),
    IMPLAUSIBLE_EPOCH("implausible-epoch"),
    TIME_ZONE_UNKNOWN("time-zone-unknown"),
    FUTURE_CAPTURE_TIME("future-capture-time"),
    EXPIRED_CAPTURE_TIME("expired-capture-time"),
    UNKNOWN_CAMERA("unknown-camera"),
    CAMERA_NOT_ALLOWED("camera-not-allowed"),
    INVALID_IMAGE("invalid-image"),
    MALFORMED_FIELD("malformed-field"),
    TOO_LARGE("too-large"),
    INCOMPLETE_FRAME("incomplete-frame"),
    TOO_MANY_READS("too-many-reads"),
    BAD_IMAGE("bad-image"),
    IMAGE_TOO_LARGE("image-too-large"),
    MORE_REFUSED_READS("more-refused-reads"),
    INTERNAL_ERROR("internal-error");

    private static final Map<String, Reason> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Reason::code, Function.identity()));

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The code as documented, stored and counted, e.g. {@code unknown-camera}. */
    public String code() {
        return code;
    }

    /** The reason of a documented code; an unknown code is a defect of the caller, not of the input. */
    public static Reason of(String code) {
        Reason r = BY_CODE.get(code);
        if (r == null) {
            throw new IllegalArgumentException("no quarantine reason '" + code + "' (docs/connector-contract.md section 6)");
        }
        return r;
    }

    @Override
    public String toString() {
        return code;
    }
}
