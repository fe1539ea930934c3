package uk.anprhub.simulator.nas;

import com.sun.net.httpserver.HttpExchange;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A stand-in for the legacy BOF2 {@code InputCaptureWebService.sendCapture} (SOAP 1.1): answers a
 * {@code sendCaptureResponse} with {@code OK}, or a SOAP {@code Client} fault (HTTP 500) for a capture it refuses.
 * BOF2 captures carry no read id, so a capture is identified by camera, VRM and capture time.
 */
final class Bof2Endpoint {

    private static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String BOF = "urn:anpr-hub:bof2:inputcapturewebservice";
    private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();

    private final Ledger ledger;
    private final Supplier<Faults> faults;

    Bof2Endpoint(Ledger ledger, Supplier<Faults> faults) {
        this.ledger = ledger;
        this.faults = faults;
    }

    void handle(HttpExchange x, byte[] body) throws IOException {
        Document doc;
        try {
            doc = parser().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            fault(x, "malformed request");
            return;
        }
        String vrm = text(doc, "vrm");
        String camera = text(doc, "cameraId");
        String time = text(doc, "dateTime");
        if (vrm == null || camera == null || time == null) {
            ledger.reject();
            fault(x, "missing " + (vrm == null ? "vrm" : camera == null ? "cameraId" : "dateTime"));
            return;
        }
        Pattern p = faults.get().rejectVrmPattern();
        if (p != null && p.matcher(vrm).find()) {
            ledger.reject();
            fault(x, "vrm-rejected: matches " + p.pattern());
            return;
        }
        ledger.accept(camera + "|" + vrm + "|" + time);
        NasSimulator.send(x, 200, envelope(w -> {
            w.writeStartElement("bof", "sendCaptureResponse", BOF);
            w.writeNamespace("bof", BOF);
            element(w, "return", "OK");
            w.writeEndElement();
        }));
    }

    private static void fault(HttpExchange x, String why) throws IOException {
        NasSimulator.send(x, 500, envelope(w -> {
            w.writeStartElement("soapenv", "Fault", SOAP_ENV);
            element(w, "faultcode", "soapenv:Client");
            element(w, "faultstring", why);
            w.writeEndElement();
        }));
    }

    private interface BodyWriter {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    /** A SOAP 1.1 envelope (UTF-8) around what {@code body} writes. */
    private static byte[] envelope(BodyWriter body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("soapenv", "Envelope", SOAP_ENV);
            w.writeNamespace("soapenv", SOAP_ENV);
            w.writeStartElement("soapenv", "Body", SOAP_ENV);
            body.write(w);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    private static String text(Document doc, String name) {
        NodeList nodes = doc.getElementsByTagNameNS("*", name);
        if (nodes.getLength() == 0) {
            return null;
        }
        String t = nodes.item(0).getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder();
    }
}
