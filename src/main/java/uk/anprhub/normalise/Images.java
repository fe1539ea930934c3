package uk.anprhub.normalise;

import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.connector.PictureUrls;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.Base64Text;
import uk.anprhub.model.NasRead.ImageRef;
import uk.anprhub.model.VendorRead;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The pictures of a read (contract sections 4.5 and 4.7): where their bytes are, their checks, their references. */
final class Images {

    private Images() {
    }

    /**
     * The bytes of a read's {@code kind} image (plate or overview), or null: inline base64, a multipart part (missing:
     * flagged {@code <kind>-image-missing}) or the message payload; refused when too large or not JPEG/PNG.
     */
    static byte[] bytes(VendorRead.Image image, RawMessage message, Map<String, Attachment> attachments,
                        String kind, List<String> flags, long maxBytes) {
        if (image == null) {
            return null;
        }
        byte[] bytes = null;
        Base64Text base64 = image.base64();
        if (base64 != null) {
            if (base64.length() / 4 * 3L > maxBytes + 3 * 1024L) { // before decoding (whitespace and prefix allowed for)
                throw tooLarge(kind, maxBytes);
            }
            try {
                // a span of the payload is plain base64 already: what base64Bytes would make of its text
                bytes = base64.text() == null ? base64.decodeSpan() : Base64.getDecoder().decode(base64Bytes(base64.text()));
            } catch (IllegalArgumentException e) {
                throw new RejectedException("invalid-image", "the " + kind + " image is not valid base64");
            }
        } else if (image.part() != null) {
            Attachment a = attachments.get(image.part());
            if (a == null) {
                flags.add(kind + "-image-missing");
                return null;
            }
            bytes = a.bytes();
        } else if (Boolean.TRUE.equals(image.payload())) {
            Attachment a = attachments.get("payload");
            bytes = a != null ? a.bytes() : message.payload();
        }
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(kind, maxBytes);
        }
        if (!isJpeg(bytes) && !isPng(bytes)) {
            throw new RejectedException("bad-image", "the " + kind + " image is neither JPEG nor PNG");
        }
        return bytes;
    }

    /**
     * The checks of {@link #bytes} for a picture fetched later from the camera: null when it passes, else the reason
     * an inline one would be refused with ({@code image-too-large}, {@code bad-image}).
     */
    static String problem(byte[] bytes, long maxBytes) {
        if (bytes == null || bytes.length == 0) {
            return "bad-image";
        }
        if (bytes.length > maxBytes) {
            return "image-too-large";
        }
        return isJpeg(bytes) || isPng(bytes) ? null : "bad-image";
    }

    private static RejectedException tooLarge(String kind, long maxBytes) {
        return new RejectedException("image-too-large", "the " + kind + " image is larger than "
                + maxBytes / 1024 + " KB (anpr.ingest.max-image-size)");
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
    }

    private static boolean isPng(byte[] b) {
        return b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /**
     * The base64 text of an image (after a {@code data:...,} prefix) as bytes without whitespace, such as the CRLF
     * every 76 characters of MIME base64: one pass over bytes, where a char-by-char copy cost a fifth of an XML read.
     * Still for the strict decoder: getMimeDecoder() would silently skip garbage too.
     */
    static byte[] base64Bytes(String b64) {
        String data = b64.startsWith("data:") ? b64.substring(b64.indexOf(',') + 1) : b64;
        byte[] b = data.getBytes(StandardCharsets.ISO_8859_1); // a char beyond Latin-1 becomes '?': not base64
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            boolean space = c >= 0 && c <= ' ' ? (c >= 9 && c <= 13) || c >= 28 // Character.isWhitespace in Latin-1
                    : c == '?' && Character.isWhitespace(data.charAt(i)); // U+2028 and the like, skipped as before
            if (!space) {
                b[n++] = c;
            }
        }
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    /** The reference the canonical read holds: type, hash and size of the bytes, else the camera's URL (pending). */
    static ImageRef ref(VendorRead.Image image, byte[] bytes, String referencedUrl) {
        if (bytes != null) {
            return new ImageRef(sniff(bytes, image.contentType()), Sha256.hex(bytes), (long) bytes.length, null);
        }
        String url = image == null ? null : image.url() != null ? ImageUrls.withoutCredentials(image.url()) : referencedUrl;
        return url != null ? new ImageRef(image.contentType(), null, null, url) : null;
    }

    /**
     * The URL of an image the mapping gave as {@code {"ref": ...}}: the connector's {@code pictures.url} template on
     * the camera's address; null for another kind of image or when the hub knows no address for the camera.
     */
    static String referenced(VendorRead.Image image, String template, String cameraAddress) {
        if (image == null || image.ref() == null || image.url() != null) {
            return null;
        }
        if (template == null) {
            throw new RejectedException("mapping-failed",
                    "an image {\"ref\": ...} needs pictures.url in the connector's connector.yaml");
        }
        return PictureUrls.resolve(template, cameraAddress, image.ref());
    }

    /** The type of an image {@link #bytes} accepted (JPEG or PNG), whatever the camera declared. */
    static String sniff(byte[] b, String declared) {
        return isPng(b) ? "image/png" : "image/jpeg";
    }
}
