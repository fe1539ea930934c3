package uk.anprhub.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import uk.anprhub.store.ImageStore;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An evidence export as a ZIP written straight to the answer: the reads ({@code reads.json} or {@code reads.csv}),
 * their pictures ({@code images/<readId>-<kind>.<ext>}), {@code manifest.json} (who, when, the query, the
 * justification, the count) and {@code manifest.sha256} — one {@code sha256sum}-compatible line per file, so
 * {@code sha256sum -c manifest.sha256} checks the unzipped folder. The reads are fetched in keyset pages and each
 * file is hashed while it is written: memory stays bounded by one page, whatever the size of the export.
 */
@Component
public class EvidenceExport {

    public enum Format { JSON, CSV }

    static final List<String> CSV_COLUMNS = List.of("readId", "captureTimeUtc", "vrm", "vrmAsRead", "cameraId", "sourceId",
            "feedId", "direction", "lane", "confidencePct", "countryCode", "latitude", "longitude", "plateImageSha256",
            "overviewImageSha256", "flags");

    private final ReadSearch search;
    private final ImageStore images;
    private final ObjectMapper mapper;
    private final SearchProperties limits;

    public EvidenceExport(ReadSearch search, ImageStore images, ObjectMapper mapper, SearchProperties limits) {
        this.search = search;
        this.images = images;
        this.mapper = mapper;
        this.limits = limits;
    }

    /**
     * Writes the ZIP. {@code header} (who, when, query, justification) goes into manifest.json with what was written.
     *
     * @return how many reads were written
     */
    public int write(SearchQuery query, Format format, boolean withImages, Map<String, Object> header, OutputStream out)
            throws IOException {
        SearchQuery first = new SearchQuery(query.vrm(), query.fuzzy(), query.from(), query.to(), query.cameras(),
                query.direction(), query.bbox(), limits.exportPageSize(), null);
        Map<String, String> sums = new LinkedHashMap<>();
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        String readsName = format == Format.CSV ? "reads.csv" : "reads.json";
        int count = 0;
        // pass 1: the reads file
        try (Entry e = new Entry(zip, readsName, sums)) {
            Writer w = new java.io.OutputStreamWriter(e, StandardCharsets.UTF_8);
            if (format == Format.CSV) {
                csvLine(w, CSV_COLUMNS);
            } else {
                w.write("[");
            }
            for (SearchQuery q = first; q != null; ) {
                ReadSearch.Page page = search.page(q);
                for (ReadSearch.Hit h : page.hits()) {
                    if (count == limits.exportMaxReads()) {
                        break; // more arrived since the count: the cap holds
                    }
                    if (format == Format.CSV) {
                        csvLine(w, csvRow(search.parse(h.body())));
                    } else {
                        w.write(count == 0 ? "\n" : ",\n");
                        w.write(h.body());
                    }
                    count++;
                }
                q = page.next() == null || count == limits.exportMaxReads() ? null : q.after(page.next());
            }
            if (format == Format.JSON) {
                w.write("\n]\n");
            }
            w.flush();
        }
        // pass 2: the pictures of the same reads, again page by page
        int pictures = 0;
        List<String> missing = new ArrayList<>();
        if (withImages) {
            int seen = 0;
            for (SearchQuery q = first; q != null && seen < count; ) {
                ReadSearch.Page page = search.page(q);
                for (ReadSearch.Hit h : page.hits()) {
                    if (seen++ == count) {
                        break;
                    }
                    JsonNode read = search.parse(h.body());
                    for (Map.Entry<String, String> kind : ReadSearch.IMAGE_FIELDS.entrySet()) {
                        JsonNode ref = read.path(kind.getValue());
                        if (!ref.hasNonNull("sha256")) {
                            continue;
                        }
                        String name = "images/" + h.readId() + "-" + kind.getKey() + "." + extension(ref.path("contentType").asText());
                        var day = h.capturedAt().atOffset(ZoneOffset.UTC).toLocalDate();
                        try (InputStream in = images.open(day, h.readId(), kind.getKey())) {
                            try (Entry e = new Entry(zip, name, sums)) {
                                in.transferTo(e);
                            }
                            pictures++;
                        } catch (NoSuchFileException gone) {
                            missing.add(name);
                        }
                    }
                }
                q = page.next() == null ? null : q.after(page.next());
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>(header);
        manifest.put("count", count);
        manifest.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
        manifest.put("readsFile", readsName);
        manifest.put("images", pictures);
        if (!missing.isEmpty()) {
            manifest.put("missingImages", missing); // deleted by retention during the export, or never stored
        }
        try (Entry e = new Entry(zip, "manifest.json", sums)) {
            mapper.writerWithDefaultPrettyPrinter().writeValue(new NonClosing(e), manifest);
        }
        zip.putNextEntry(new ZipEntry("manifest.sha256"));
        StringBuilder lines = new StringBuilder();
        sums.forEach((name, sum) -> lines.append(sum).append("  ").append(name).append('\n'));
        zip.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.finish();
        zip.flush();
        return count;
    }

    static List<String> csvRow(JsonNode r) {
        List<String> row = new ArrayList<>(CSV_COLUMNS.size());
        for (String c : CSV_COLUMNS) {
            JsonNode v = switch (c) {
                case "plateImageSha256" -> r.path("plateImage").path("sha256");
                case "overviewImageSha256" -> r.path("overviewImage").path("sha256");
                default -> r.path(c);
            };
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(x.asText()));
                row.add(String.join(";", items));
            } else {
                row.add(v.isMissingNode() || v.isNull() ? "" : v.asText());
            }
        }
        return row;
    }

    /**
     * One CSV line (RFC 4180, every field quoted). A field a spreadsheet would run as a formula ({@code = + - @} first)
     * gets a leading {@code '}; the JSON format keeps every value exactly.
     */
    static void csvLine(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (!f.isEmpty() && "=+-@\t\r".indexOf(f.charAt(0)) >= 0 && !isNumber(f)) {
                f = "'" + f;
            }
            w.write(i == 0 ? "\"" : ",\"");
            w.write(f.replace("\"", "\"\""));
            w.write("\"");
        }
        w.write("\r\n");
    }

    private static boolean isNumber(String s) {
        return s.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    }

    static String extension(String contentType) {
        return switch (contentType) {
            case "image/jpeg" -> "jpg";
            case "image/png" -> "png";
            case "image/bmp" -> "bmp";
            default -> "bin";
        };
    }

    /** A ZIP entry whose bytes are hashed on the way; closing it closes the entry (not the ZIP) and records the sum. */
    private static final class Entry extends FilterOutputStream {
        private final ZipOutputStream zip;
        private final String name;
        private final Map<String, String> sums;
        private final MessageDigest sha256;

        Entry(ZipOutputStream zip, String name, Map<String, String> sums) throws IOException {
            super(zip);
            this.zip = zip;
            this.name = name;
            this.sums = sums;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            zip.putNextEntry(new ZipEntry(name));
        }

        @Override
        public void write(int b) throws IOException {
            zip.write(b);
            sha256.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            zip.write(b, off, len);
            sha256.update(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            zip.flush();
        }

        @Override
        public void close() throws IOException {
            zip.closeEntry();
            sums.put(name, HexFormat.of().formatHex(sha256.digest()));
        }
    }

    /** Jackson closes the stream it wrote to; the entry is closed by its owner. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
