package uk.anprhub.connector;

import uk.anprhub.connector.decode.Decoded;
import uk.anprhub.connector.decode.Decoder;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;
import uk.anprhub.model.VendorRead;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One vendor format: a generic decoder plus the vendor's JSLT mapping (connectors/&lt;id&gt;/connector.yaml).
 * {@link #extract} turns a raw message into vendor reads; the shared normalisation happens afterwards.
 * {@code identity} says where the camera's identity comes from: {@code payload}, {@code sender-address} or
 * {@code ftp-folder} (declared so tests that vary the camera per message know, without a list in Java).
 */
public record Connector(String id, String vendor, String title, String description, String decoderName,
                        Map<String, String> options, List<String> contentTypes, String mappingPath, Decoder decoder,
                        Expression mapping, String identity, Pictures pictures) {

    /**
     * {@code pictures:} of connector.yaml: whether pictures the camera only references ({@code {"url": ...}}) are
     * fetched from it, at most how large, how long a request may take, and the hosts besides the read's sender address
     * the URLs may name (anything else is refused unasked: the hub must not be made to call arbitrary addresses).
     */
    /**
     * {@code pictures:} of connector.yaml. {@code url}: the template ({@code {camera}}, {@code {ref}}) that turns an
     * image {@code {"ref": ...}} of the mapping into a URL on the camera, or null; it applies whether or not the
     * connector fetches.
     */
    public record Pictures(boolean fetch, long maxBytes, java.time.Duration timeout, List<String> hosts, String url,
                           Login login) {
        public static final Pictures OFF = new Pictures(false, 0, java.time.Duration.ZERO, List.of(), null, null);

        public Pictures {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }

        public Pictures(boolean fetch, long maxBytes, java.time.Duration timeout, List<String> hosts) {
            this(fetch, maxBytes, timeout, hosts, null, null);
        }
    }

    /**
     * {@code pictures.login}: the names of the environment variables that hold the camera account for picture
     * requests (HTTP Digest) — references, never the secret itself, so the catalogue can live in git.
     */
    public record Login(String usernameEnv, String passwordEnv) {
    }

    /** {@link #identity()}: the camera is named in the payload (the default); see docs/connector-contract.md section 1. */
    public static final String IDENTITY_PAYLOAD = "payload";

    private static final com.fasterxml.jackson.databind.ObjectReader VENDOR_READ = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readerFor(VendorRead.class);

    /** The vendor reads in a message (possibly none: lifecycle events that carry no final read) and its parts. */
    public record Extracted(List<VendorRead> reads, Decoded decoded) {
    }

    public Extracted extract(RawMessage message) {
        return extract(message, Integer.MAX_VALUE);
    }

    /** @param maxReads the most reads the message may map to; beyond, it is refused {@code too-many-reads} whole */
    public Extracted extract(RawMessage message, int maxReads) {
        checkContentType(message.contentType());
        Decoded decoded = decoder.decode(message, options);
        JsonNode out;
        try {
            out = mapping.apply(Map.of("meta", meta(message)), decoded.tree());
        } catch (JsltException e) {
            throw new RejectedException("mapping-failed", "mapping " + mappingPath + " failed: " + firstLine(e.getMessage()));
        }
        List<VendorRead> reads = new ArrayList<>();
        if (out == null || out.isNull() || out.isMissingNode()) {
            return new Extracted(reads, decoded);
        }
        if (out.isArray()) {
            if (out.size() > maxReads) { // checked before any read is built
                throw new RejectedException("too-many-reads", "the message holds " + out.size()
                        + " reads, more than the " + maxReads + " allowed per message");
            }
            for (JsonNode n : out) {
                reads.add(toRead(n));
            }
        } else {
            reads.add(toRead(out));
        }
        return new Extracted(reads, decoded);
    }

    private VendorRead toRead(JsonNode node) {
        if (!node.isObject()) {
            throw new RejectedException("mapping-failed", "mapping " + mappingPath + " returned " + node.getNodeType()
                    + " where a read object was expected");
        }
        try {
            return VENDOR_READ.readValue(node);
        } catch (Exception e) {
            throw new RejectedException("mapping-failed", "mapping " + mappingPath + " returned a read that does not fit"
                    + " the vendor-read contract: " + firstLine(e.getMessage()));
        }
    }

    /** A message that says what it is must say one of the types the connector declares (none declared: any). */
    private void checkContentType(String contentType) {
        if (contentType == null || contentTypes.isEmpty()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (String accepted : contentTypes) {
            if (type.equals(accepted) || (accepted.endsWith("/*") && type.startsWith(accepted.substring(0, accepted.length() - 1)))) {
                return;
            }
        }
        throw new RejectedException("unsupported-content-type", "connector " + id + " takes " + contentTypes
                + ", not " + type);
    }

    static JsonNode meta(RawMessage m) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("feed", m.feed());
        meta.put("connector", m.connector());
        meta.put("transport", m.transport());
        meta.put("contentType", m.contentType());
        meta.put("remoteAddr", m.remoteAddr());
        meta.put("filename", m.filename());
        meta.put("folder", m.folder());
        ObjectNode headers = meta.putObject("headers");
        m.headers().forEach(headers::put);
        return meta;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // Jackson quotes input values in some messages; keep the message structural, never the data.
        int quote = line.indexOf('"');
        return quote < 0 ? line : line.substring(0, quote).trim();
    }
}
