package uk.anprhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import uk.anprhub.store.ImageStore;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Legacy BOF2 {@code InputCaptureWebService.sendCapture}, one SOAP 1.1 document/literal call per read with the 17
 * parameters of the public C# client, in its order (docs/delivery.md "BOF2 envelope" states what is assumed: the
 * namespace is unknown and the same neutral one as the hub's own bof2-soap connector). HTTP 200 = delivered; a SOAP
 * {@code Client} fault (or 400) = that capture refused; 401/403 = credentials; anything else = transient.
 */
final class Bof2SoapAdapter implements WireAdapter {

    static final String NAMESPACE = "urn:anpr-hub:bof2:inputcapturewebservice";
    private static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();
    private static final Pattern FAULT_CODE = Pattern.compile("<(?:\\w+:)?faultcode>([^<]*)</");
    private static final Pattern FAULT_STRING = Pattern.compile("<(?:\\w+:)?faultstring>([^<]*)</");

    private final HttpClients.Client client;
    private final URI endpoint;
    private final DeliveryProperties.Http http;
    private final DeliveryProperties.Bof2 credentials;
    private final ImageStore images;
    private final ObjectMapper json;

    Bof2SoapAdapter(HttpClients.Client client, URI endpoint, DeliveryProperties.Http http, DeliveryProperties.Bof2 credentials,
                    ImageStore images, ObjectMapper json) {
        this.client = client;
        this.endpoint = endpoint;
        this.http = http;
        this.credentials = credentials;
        this.images = images;
        this.json = json;
    }

    @Override
    public SendResult send(List<Claimed> batch) throws InterruptedException {
        Semaphore inFlight = new Semaphore(Math.max(1, http.concurrency()));
        List<CompletableFuture<SendResult.RecordResult>> calls = new ArrayList<>(batch.size());
        for (Claimed c : batch) {
            inFlight.acquire();
            StreamedBody body;
            try {
                body = envelope(c);
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(HttpClients.timeout(http, body.length()))
                    .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"\"")
                    .POST(body.publisher());
            http.headers().forEach(req::header);
            calls.add(client.http().sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
                    .handle((r, e) -> classify(c, r, e))
                    .whenComplete((r, e) -> {
                        body.close();
                        inFlight.release();
                    }));
        }
        List<SendResult.RecordResult> results = new ArrayList<>(batch.size());
        for (CompletableFuture<SendResult.RecordResult> call : calls) {
            results.add(call.join());
        }
        String auth = null;
        int retry = 0;
        for (SendResult.RecordResult r : results) {
            if (r.status() == SendResult.RecordStatus.RETRY) {
                retry++;
                if (r.reason().startsWith("auth:")) {
                    auth = r.reason();
                }
            }
        }
        if (auth != null) {
            return new SendResult.AuthFailed(auth.substring("auth:".length()).trim());
        }
        if (retry == results.size()) {
            String first = results.get(0).reason();
            return new SendResult.Transient(first, null, first.startsWith("timeout") || first.startsWith("connection")
                    || first.startsWith("tls"));
        }
        return new SendResult.PerRecord(results);
    }

    private SendResult.RecordResult classify(Claimed c, HttpResponse<String> r, Throwable e) {
        if (e != null) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof HttpTimeoutException ? "timeout" : client.failure(cause);
            return new SendResult.RecordResult(c.readId(), SendResult.RecordStatus.RETRY, why, null);
        }
        client.answered();
        int s = r.statusCode();
        if (s == 200) {
            return new SendResult.RecordResult(c.readId(), SendResult.RecordStatus.DELIVERED, null, null);
        }
        if (s == 401 || s == 403) {
            return new SendResult.RecordResult(c.readId(), SendResult.RecordStatus.RETRY, "auth: HTTP " + s, null);
        }
        Matcher code = FAULT_CODE.matcher(r.body());
        boolean clientFault = s == 400 || (s == 500 && code.find() && code.group(1).endsWith("Client"));
        if (clientFault) {
            Matcher text = FAULT_STRING.matcher(r.body());
            return new SendResult.RecordResult(c.readId(), SendResult.RecordStatus.REJECTED,
                    text.find() ? text.group(1) : "HTTP " + s, HttpClients.snippet(r.body()));
        }
        return new SendResult.RecordResult(c.readId(), SendResult.RecordStatus.RETRY, "HTTP " + s, null);
    }

    /**
     * The 17 positional parameters, document/literal; absent values are empty elements. Written with StAX (the JDK's
     * own writer, whatever else is on the classpath), which escapes the text; the pictures are streamed from their
     * files as base64 while sending ({@link StreamedBody}).
     */
    StreamedBody envelope(Claimed c) {
        JsonNode r;
        try {
            r = json.readTree(c.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode ptz = r.path("ptz");
        String direction = r.path("direction").asText("");
        StreamedBody.Builder body = StreamedBody.builder();
        try {
            XMLStreamWriter x = XML.createXMLStreamWriter(body, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n"); // the line breaks BOF2 has always been sent, kept so the bytes stay the same
            x.writeStartElement("soapenv", "Envelope", SOAP_ENV);
            x.writeNamespace("soapenv", SOAP_ENV);
            x.writeNamespace("bof", NAMESPACE);
            x.writeCharacters("\n");
            x.writeEmptyElement("soapenv", "Header", SOAP_ENV);
            x.writeStartElement("soapenv", "Body", SOAP_ENV);
            x.writeStartElement("bof", "sendCapture", NAMESPACE);
            param(x, "signature", credentials.signature());
            param(x, "user", credentials.user());
            param(x, "vrm", r.path("vrm").asText(null));
            param(x, "orgId", r.path("feedId").asText(null));
            param(x, "systemId", r.path("sourceId").asText(null));
            param(x, "cameraId", r.path("cameraId").asText(null));
            image(body, x, c, r, "plateImage", "plate");
            image(body, x, c, r, "overviewImage", "overview");
            param(x, "dateTime", r.path("captureTimeUtc").asText(null));
            param(x, "latitude", number(r.path("latitude")));
            param(x, "longitude", number(r.path("longitude")));
            param(x, "cameraPreset", ptz.path("preset").asText(null));
            param(x, "cameraPan", number(ptz.path("pan")));
            param(x, "cameraTilt", number(ptz.path("tilt")));
            param(x, "cameraZoom", number(ptz.path("zoom")));
            param(x, "confidence", number(r.path("confidencePct")));
            param(x, "towardCamera", direction.equals("TOWARDS") ? "true" : direction.equals("AWAY") ? "false" : null);
            x.writeEndElement(); // sendCapture
            x.writeEndElement(); // Body
            x.writeEndElement(); // Envelope
            x.writeEndDocument();
            x.close(); // flushes; leaves the body open
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the BOF2 envelope", e);
        }
        return body.build();
    }

    /** {@code <field>base64</field>} with the picture streamed, or an empty element when none is stored. */
    private void image(StreamedBody.Builder body, XMLStreamWriter x, Claimed c, JsonNode read, String field, String kind)
            throws XMLStreamException {
        LocalDate day = c.capturedAt().atOffset(ZoneOffset.UTC).toLocalDate();
        long size = read.path(field).hasNonNull("sha256") ? images.size(day, c.readId(), kind) : -1;
        if (size < 0) {
            param(x, field, null);
            return;
        }
        x.writeStartElement(field);
        x.writeCharacters(""); // ends the start tag
        x.flush(); // everything so far is in the body before the picture
        body.base64(() -> images.open(day, c.readId(), kind), size);
        x.writeEndElement();
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? n.asText() : null;
    }

    private static void param(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        if (value == null || value.isEmpty()) {
            x.writeEmptyElement(name);
            return;
        }
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }
}
