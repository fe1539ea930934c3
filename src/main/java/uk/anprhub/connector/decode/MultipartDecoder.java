package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.anprhub.connector.decode.Decoded.Attachment;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code multipart/form-data}, {@code /mixed} and {@code /x-mixed-replace} bodies to
 * {@code {"parts": [{"name", "filename", "contentType", "size", "attachment", "headers", "text"?, "json"?, "xml"?,
 * "kv"?}]}}; every part is also an attachment (the mapping points image fields at it). {@link MultipartBody} splits
 * the body, {@link HeaderValues} reads the part headers. Options: {@code boundary} (overrides the Content-Type's), and
 * {@code lenient-end: true} to accept a body without the closing boundary (x-mixed-replace streams).
 */
public final class MultipartDecoder implements Decoder {

    public MultipartDecoder() {
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        Map<String, String> opts = options == null ? Map.of() : options;
        byte[] body = message.payload();
        boolean lenientEnd = "true".equalsIgnoreCase(opts.getOrDefault("lenient-end", "").strip());
        List<Part> parts = MultipartBody.split(message, opts, body, lenientEnd).stream().map(Part::of).toList();

        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        Map<String, Attachment> attachments = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            String key = uniqueKey(attachments, part.name() != null ? part.name()
                    : part.filename() != null ? part.filename() : "part" + i);
            attachments.put(key, new Attachment(key, part.mediaType(), part.bytes()));
            try {
                array.add(describe(part, key));
            } catch (RejectedException e) {
                // index only: a filename may itself hold a plate (FTP-style names)
                throw new RejectedException(e.reason(), "parts[" + i + "]: " + e.detail());
            }
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.set("parts", array);
        return new Decoded(tree, attachments);
    }

    /** One part of the body: its headers (lower-case names), content, and the header parameters used per part. */
    private record Part(Map<String, String> headers, byte[] bytes, String mediaType, String name, String filename,
                        String charset) {

        /** Reads Content-Disposition and Content-Type once here; decode() and describe() read them several times. */
        static Part of(MultipartBody.Section section) {
            HeaderValues.ContentType type = HeaderValues.contentType(section.headers().get("content-type"));
            HeaderValues.Disposition disposition = HeaderValues.disposition(section.headers().get("content-disposition"));
            String mediaType = type.mediaType() == null ? "text/plain" : type.mediaType(); // RFC 2046/7578 default
            return new Part(section.headers(), section.bytes(), mediaType, disposition.name(), disposition.filename(),
                    type.charset());
        }
    }

    private static ObjectNode describe(Part part, String key) {
        String type = part.mediaType();
        String name = part.name();
        String filename = part.filename();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("filename", filename);
        node.put("contentType", type);
        node.put("size", part.bytes().length);
        node.put("attachment", key);
        ObjectNode headers = node.putObject("headers");
        part.headers().forEach(headers::put);

        boolean jsonType = type.equals("application/json") || type.endsWith("+json");
        boolean xmlType = type.equals("application/xml") || type.equals("text/xml") || type.endsWith("+xml");
        boolean jsonName = "json".equals(name) || "event".equals(name);
        boolean xmlName = filename != null && filename.toLowerCase(Locale.ROOT).endsWith(".xml");
        boolean textType = type.startsWith("text/") || jsonType || xmlType;
        // a JSON event or an .xml file sent as application/octet-stream is still text
        if (!textType && !(jsonName && startsWith(part.bytes(), '{', '[')) && !xmlName) {
            return node; // binary: name/filename/contentType/size only
        }
        String text = KvDecoder.text(part.bytes(), KvDecoder.charset(part.charset()));
        node.put("text", text);
        String lead = text.stripLeading();
        if (jsonType || (jsonName && (lead.startsWith("{") || lead.startsWith("[")))) {
            node.set("json", JsonDecoder.parse(text.getBytes(StandardCharsets.UTF_8)));
        }
        if (xmlType || xmlName || lead.startsWith("<")) {
            node.set("xml", XmlDecoder.parse(part.bytes()));
        }
        if (type.equals("text/plain") && !node.has("json") && !node.has("xml")) {
            ObjectNode kv = KvDecoder.parse(text, false);
            if (kv != null) {
                node.set("kv", kv);
            }
        }
        return node;
    }

    private static boolean startsWith(byte[] bytes, char... firsts) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            for (char c : firsts) {
                if (b == c) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    private static String uniqueKey(Map<String, Attachment> taken, String key) {
        if (!taken.containsKey(key)) {
            return key;
        }
        int n = 2;
        while (taken.containsKey(key + "#" + n)) {
            n++;
        }
        return key + "#" + n;
    }
}
