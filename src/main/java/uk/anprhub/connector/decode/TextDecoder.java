package uk.anprhub.connector.decode;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.anprhub.message.RawMessage;
import uk.anprhub.message.RejectedException;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One fixed-layout text frame (e.g. a VMS's {@code 20240130143455 07 AB12CDE}) to a flat object of the named groups
 * of the connector's regular expression: option {@code pattern} (required; it must match the whole text, and name at
 * least one group {@code (?<name>...)}), option {@code charset} (as the kv decoder). A group that took no part in
 * the match is null. A text that does not match is {@code undecodable}; the detail never holds the text (a plate).
 * The pattern is compiled once, when the connector is loaded ({@link #bind}); a bad one refuses that connector.
 */
public final class TextDecoder implements Decoder {

    /** Longest text matched, in characters: frames are short, and a bound keeps a careless pattern's cost bounded. */
    static final int MAX_LENGTH = 64 * 1024;

    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final Pattern pattern;
    private final List<String> groups;
    private final Charset charset;

    /** The unbound decoder of {@link Decoders}: {@link #bind} it to a connector's options. */
    public TextDecoder() {
        this(null, List.of(), null);
    }

    private TextDecoder(Pattern pattern, List<String> groups, Charset charset) {
        this.pattern = pattern;
        this.groups = groups;
        this.charset = charset;
    }

    @Override
    public Decoder bind(Map<String, String> options) {
        String regex = options == null ? null : options.get("pattern");
        if (regex == null || regex.isBlank()) {
            throw new IllegalArgumentException("text decoder: option 'pattern' (a regular expression with named groups) "
                    + "is required");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("text decoder: option 'pattern' is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        List<String> names = new ArrayList<>();
        Matcher m = GROUP_NAME.matcher(regex);
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("text decoder: option 'pattern' names no group; write (?<name>...) for "
                    + "each field the mapping reads");
        }
        String name = options.get("charset");
        Charset cs = KvDecoder.charset(name);
        if (name != null && !name.isBlank() && cs == null) {
            throw new IllegalArgumentException("text decoder: unknown charset option '" + name + "'");
        }
        return new TextDecoder(compiled, List.copyOf(names), cs);
    }

    @Override
    public Decoded decode(RawMessage message, Map<String, String> options) {
        if (pattern == null) { // not bound at load (a caller outside the catalog): bind now
            return ((TextDecoder) bind(options)).decode(message, options);
        }
        byte[] payload = message.payload();
        if (payload.length > MAX_LENGTH * 4L) {
            throw tooLong(payload.length + " bytes");
        }
        String text = KvDecoder.text(payload, charset);
        if (text.length() > MAX_LENGTH) {
            throw tooLong(text.length() + " characters");
        }
        Matcher m = pattern.matcher(text);
        if (!m.matches()) {
            throw new RejectedException("undecodable", "the text (" + text.length()
                    + " characters) does not match the connector's pattern");
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        for (String group : groups) {
            String value;
            try {
                value = m.group(group);
            } catch (IllegalArgumentException e) { // "(?<x>" inside a literal or class: not a group after all
                continue;
            }
            if (value == null) {
                tree.putNull(group);
            } else {
                tree.put(group, value);
            }
        }
        return Decoded.of(tree);
    }

    private static RejectedException tooLong(String size) {
        return new RejectedException("undecodable", "the text (" + size + ") is longer than the text decoder's limit of "
                + MAX_LENGTH + " characters");
    }
}
