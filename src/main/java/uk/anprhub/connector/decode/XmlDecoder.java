package uk.anprhub.connector.decode;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.exc.WstxEOFException;
import com.ctc.wstx.stax.WstxInputFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.deser.FromXmlParser;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * XML to the Jackson XmlMapper tree of the root element (root name and namespace prefixes dropped, attributes as
 * fields, repeated elements as arrays, text next to attributes under {@code ""}). Cameras have no business sending
 * DTDs, so any DOCTYPE is refused outright (quarantine {@code unsafe-xml}): first by a cheap look at the prolog,
 * then again by the parser itself in case an odd encoding fooled that look. Nothing is ever resolved or fetched.
 */
public final class XmlDecoder implements Decoder {

    static final String UNSAFE_DETAIL = "XML with a DOCTYPE/entity declaration is refused";

    private static final XMLInputFactory INPUT = hardenedInputFactory();
    private static final XmlMapper MAPPER = XmlMapper.builder(XmlFactory.builder()
                    .xmlInputFactory(INPUT)
                    // XML depth is capped by the StAX factory; Jackson counts some levels twice, so give it room
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2 * JsonDecoder.MAX_DEPTH)
                            .maxStringLength(JsonDecoder.MAX_STRING_LENGTH).build())
                    .build())
            .disable(FromXmlParser.Feature.EMPTY_ELEMENT_AS_NULL) // <a/> -> "" (the 2.12+ default, made explicit)
            .build();

    public XmlDecoder() {
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        return Decoded.of(parse(message.payload()));
    }

    /** Parses one XML document; shared with the multipart decoder for XML parts. */
    static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new RejectedException("undecodable", "empty XML payload");
        }
        if (declaresDoctype(bytes)) {
            throw unsafe();
        }
        return parseGuarded(bytes);
    }

    /** The parser-level guard alone (package-private so tests can prove it holds without the prolog check). */
    static JsonNode parseGuarded(byte[] bytes) {
        XMLStreamReader reader = null;
        try {
            reader = INPUT.createXMLStreamReader(new ByteArrayInputStream(bytes));
            while (reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
                if (reader.next() == XMLStreamConstants.DTD) {
                    throw unsafe();
                }
            }
            JsonNode tree = MAPPER.readTree(EntryCap.of(MAPPER.getFactory().createParser(reader)));
            while (reader.hasNext()) {
                reader.next(); // Jackson stops at the root's end tag; a second root or junk after it is malformed
            }
            return tree == null ? MAPPER.createObjectNode() : tree;
        } catch (XMLStreamException | IOException e) {
            // no cause attached: parser messages may quote document text
            throw new RejectedException("undecodable", describe(e));
        } finally {
            closeQuietly(reader);
        }
    }

    private static XMLInputFactory hardenedInputFactory() {
        // Woodstox explicitly (it is what jackson-dataformat-xml brings) so the limits below are understood
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // IS_REPLACING_ENTITY_REFERENCES stays true: without a DTD only the predefined and character entities
        // exist, and with it false Woodstox silently drops an undeclared &name; instead of failing
        f.setProperty(XMLInputFactory.RESOLVER, (javax.xml.stream.XMLResolver) (publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external resources are refused");
        });
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, JsonDecoder.MAX_DEPTH);
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, JsonDecoder.MAX_STRING_LENGTH);
        return f;
    }

    /**
     * True when the prolog holds a {@code <!...>} other than a comment, i.e. a DOCTYPE. Looks only as far as the
     * root element, skipping a BOM, whitespace, the XML declaration, comments and processing instructions. Works on
     * the bytes as code units of the prolog's width (no decoder: it ran on every message), which is enough since
     * every character that matters here is ASCII.
     */
    static boolean declaresDoctype(byte[] b) {
        Units u = new Units(b, prologCharset(b), bomLength(b));
        while (true) {
            int c = u.next();
            if (c == -1) {
                return false;
            }
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (c != '<') {
                return false; // not a prolog at all: the parser reports it
            }
            c = u.next();
            if (c == '?') {
                skipPast(u, '?', 1);
            } else if (c == '!') {
                if (u.next() != '-' || u.next() != '-') {
                    return true; // <!DOCTYPE (any case) or another declaration
                }
                skipPast(u, '-', 2);
            } else {
                return false; // the root element
            }
        }
    }

    /** Reads past {@code count} or more {@code x} then '>': "?>" ends a PI, "-->" (and "--->") a comment. */
    private static void skipPast(Units u, int x, int count) {
        for (int c, run = 0; (c = u.next()) != -1; run = c == x ? run + 1 : 0) {
            if (c == '>' && run >= count) {
                return;
            }
        }
    }

    /** Code units of 1, 2 or 4 bytes (ASCII-compatible, UTF-16, UTF-32), big- or little-endian; -1 at the end. */
    private static final class Units {
        private final byte[] b;
        private final int width;
        private final boolean little;
        private int pos;

        Units(byte[] b, Charset charset, int start) {
            this.b = b;
            this.width = charset.name().startsWith("UTF-32") ? 4 : charset.name().startsWith("UTF-16") ? 2 : 1;
            this.little = charset.name().endsWith("LE");
            this.pos = start;
        }

        int next() {
            if (pos + width > b.length) {
                return -1; // a trailing partial unit is no character
            }
            int c = 0;
            for (int k = 0; k < width; k++) {
                c = c << 8 | (b[pos + (little ? width - 1 - k : k)] & 0xFF);
            }
            pos += width;
            return c == -1 ? 0xFFFD : c; // UTF-32 FF FF FF FF is a bad character, not the end
        }
    }

    private static int bomLength(byte[] b) {
        if (starts(b, 0x00, 0x00, 0xFE, 0xFF) || starts(b, 0xFF, 0xFE, 0x00, 0x00)) {
            return 4;
        }
        if (starts(b, 0xEF, 0xBB, 0xBF)) {
            return 3;
        }
        return starts(b, 0xFE, 0xFF) || starts(b, 0xFF, 0xFE) ? 2 : 0;
    }

    /** Encoding detection as in XML 1.0 appendix F; everything ASCII-compatible reads fine as ISO-8859-1 here. */
    private static Charset prologCharset(byte[] b) {
        if (starts(b, 0x00, 0x00, 0xFE, 0xFF) || starts(b, 0x00, 0x00, 0x00, 0x3C)) {
            return Charset.forName("UTF-32BE");
        }
        if (starts(b, 0xFF, 0xFE, 0x00, 0x00) || starts(b, 0x3C, 0x00, 0x00, 0x00)) {
            return Charset.forName("UTF-32LE");
        }
        if (starts(b, 0xFE, 0xFF) || (b.length >= 2 && b[0] == 0 && b[1] != 0)) {
            return StandardCharsets.UTF_16BE;
        }
        if (starts(b, 0xFF, 0xFE) || (b.length >= 2 && b[0] != 0 && b[1] == 0)) {
            return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.ISO_8859_1;
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static RejectedException unsafe() {
        return new RejectedException("unsafe-xml", UNSAFE_DETAIL);
    }

    private static String describe(Exception e) {
        XMLStreamException stax = null;
        boolean eof = false;
        boolean limit = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            stax = stax == null && t instanceof XMLStreamException x ? x : stax;
            eof |= t instanceof WstxEOFException;
            limit |= t instanceof StreamConstraintsException || String.valueOf(t.getMessage()).contains(" limit ");
        }
        String what = eof ? "XML ends unexpectedly" : limit ? "XML exceeds the parser limits (depth "
                + JsonDecoder.MAX_DEPTH + ", text length " + JsonDecoder.MAX_STRING_LENGTH / 1_000_000 + " MB)"
                : "malformed XML";
        JsonLocation at = e instanceof JsonProcessingException p ? p.getLocation() : null;
        if (at != null && at.getLineNr() > 0) {
            return what + " at line " + at.getLineNr() + " column " + at.getColumnNr();
        }
        Location loc = stax == null ? null : stax.getLocation();
        return loc == null || loc.getLineNumber() < 1 ? what
                : what + " at line " + loc.getLineNumber() + " column " + (loc.getColumnNumber() + 1);
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing held but the byte array
            }
        }
    }
}
