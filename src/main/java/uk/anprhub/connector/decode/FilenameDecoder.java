package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.util.Locale;
import java.util.Map;

/**
 * An uploaded file (FTP JPEG) whose name carries the read: the tree is
 * {@code {"filename", "stem", "ext", "folder", "size"}} and the file itself is attachment {@code payload}.
 */
public final class FilenameDecoder implements Decoder {

    public FilenameDecoder() {
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        String filename = fileName(message.filename());
        if (filename == null) {
            throw new RejectedException("undecodable", "the message has no file name");
        }
        int dot = filename.lastIndexOf('.');
        String ext = dot > 0 ? filename.substring(dot + 1) : null; // ".jpg" alone is a name, not an extension
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("filename", filename);
        tree.put("stem", dot > 0 ? filename.substring(0, dot) : filename);
        tree.put("ext", ext);
        tree.put("folder", lastPathElement(message.folder()));
        tree.put("size", message.payload().length);
        Attachment file = new Attachment("payload", contentType(ext), message.payload());
        return new Decoded(tree, Map.of("payload", file));
    }

    static String contentType(String ext) {
        return switch (ext == null ? "" : ext.toLowerCase(Locale.ROOT)) {
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "xml" -> "application/xml";
            case "json" -> "application/json";
            default -> "application/octet-stream";
        };
    }

    /** The name after the last separator; null when blank or when the path ends in a separator (no file). */
    private static String fileName(String path) {
        String p = path == null ? "" : path.strip();
        String name = p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
        return name.isEmpty() ? null : name;
    }

    /** "/upload/cam-01/" -> "cam-01"; either slash, since FTP servers on Windows report backslashes. */
    private static String lastPathElement(String path) {
        if (path == null) {
            return null;
        }
        String p = path.strip();
        int end = p.length();
        while (end > 0 && (p.charAt(end - 1) == '/' || p.charAt(end - 1) == '\\')) {
            end--;
        }
        int start = Math.max(p.lastIndexOf('/', end - 1), p.lastIndexOf('\\', end - 1)) + 1;
        return start >= end ? null : p.substring(start, end);
    }
}
