package uk.anprhub.ops;

import uk.anprhub.audit.AuditLog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jolokia.server.core.service.api.Restrictor;
import org.springframework.web.filter.OncePerRequestFilter;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * In front of Jolokia (after login): what its access policy cannot say. A GET may only read (a state change by GET is
 * CSRF: a link or an image would do it with the session cookie); every write or exec in a POST body is audited —
 * account, source address, MBean, operation, arguments (secrets masked), and whether the policy allows it — before
 * Jolokia sees it, except the hub's own MBean operations the policy allows, which audit themselves (one row each). The allow list itself is Jolokia's policy ({@code jolokia-access.xml}).
 */
class JolokiaGuard extends OncePerRequestFilter {

    static final Set<String> READ_ONLY = Set.of("read", "list", "version", "search", "");
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern ROUTE_CONTROL = Pattern.compile("(?i)(stop|suspend|remove|shutdown).*");
    private static final Pattern SECRET = Pattern.compile("(?i).*(pass|secret|token|key|cred).*");

    private final Restrictor policy;
    private final AuditLog audit;
    private final ObjectMapper json;

    JolokiaGuard(Restrictor policy, AuditLog audit, ObjectMapper json) {
        this.policy = policy;
        this.audit = audit;
        this.json = json.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** /actuator/jolokia/** and Hawtio's forward /actuator/hawtio/jolokia/**. */
    static boolean isJolokia(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/actuator/jolokia") || path.startsWith("/actuator/hawtio/jolokia");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isJolokia(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod())) {
            if (!READ_ONLY.contains(getType(request))) {
                refuse(response, 405, "jolokia-read-only-get", "write and exec need POST");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            refuse(response, 413, "jolokia-request-too-large", "at most " + MAX_BODY + " bytes");
            return;
        }
        JsonNode requests;
        try {
            requests = json.readTree(body);
        } catch (IOException e) {
            requests = null;
        }
        if (requests == null || !(requests.isObject() || requests.isArray())) {
            refuse(response, 400, "jolokia-invalid-request", "a JSON request object or array");
            return;
        }
        String refusal = null;
        for (JsonNode r : requests.isArray() ? requests : List.of(requests)) {
            String type = r.path("type").asText("").toLowerCase(java.util.Locale.ROOT);
            if (!READ_ONLY.contains(type)) {
                if (!auditedByTheMBean(type, r)) {
                    auditChange(type, r);
                }
                refusal = refusal != null ? refusal : routeControlRefusal(type, r);
            }
        }
        if (refusal != null) {
            refuseInJolokiasWords(response, requests, refusal);
            return;
        }
        chain.doFilter(new CachedBody(request, body), response);
    }

    private void auditChange(String type, JsonNode r) {
        String mbean = r.path("mbean").asText("");
        String member = "write".equals(type) ? r.path("attribute").asText("") : r.path("operation").asText("");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", type);
        detail.put("mbean", AuditLog.printable(mbean, 300));
        detail.put("write".equals(type) ? "attribute" : "operation", AuditLog.printable(member, 200));
        detail.put("args", "write".equals(type) ? List.of(masked(member, r.path("value"))) : args(member, r.path("arguments")));
        detail.put("allowed", allowed(type, mbean, member));
        audit.record("jolokia." + AuditLog.printable(type, 20), detail);
    }

    /**
     * The hub's own MBean operations ({@code uk.anprhub}) write their audit row themselves, with the caller and the
     * reason: when the policy lets one run, a second row here would count every pause twice. Refused ones are audited here.
     */
    private boolean auditedByTheMBean(String type, JsonNode r) {
        String mbean = r.path("mbean").asText("");
        return "exec".equals(type) && mbean.startsWith("uk.anprhub:") && allowed(type, mbean, r.path("operation").asText(""));
    }

    /**
     * Why a route stop/suspend/remove that the policy refuses is refused, in words Hawtio shows the operator; null
     * for anything else (Jolokia's own policy answers those).
     */
    private String routeControlRefusal(String type, JsonNode r) {
        String mbean = r.path("mbean").asText("");
        String op = r.path("operation").asText("");
        if (!"exec".equals(type) || !ROUTE_CONTROL.matcher(op).matches()) {
            return null;
        }
        try {
            ObjectName name = new ObjectName(mbean);
            if (!"org.apache.camel".equals(name.getDomain()) || !"routes".equals(name.getKeyProperty("type"))) {
                return null;
            }
            String raw = String.valueOf(name.getKeyProperty("name"));
            String route = AuditLog.printable(raw.startsWith("\"") ? ObjectName.unquote(raw) : raw, 100);
            boolean pauseOfATarget = op.startsWith("suspend") && route.startsWith("delivery-");
            if (pauseOfATarget && allowed(type, mbean, op)) {
                return null; // the route policy turns it into the target's pause (audited)
            }
            String verb = op.startsWith("suspend") ? "Suspending" : op.startsWith("remove") ? "Removing" : "Stopping";
            return route.startsWith("delivery-")
                    ? verb + " route " + route + " from the console is refused: it is no pause and records no reason. Pause the target"
                    + " with operation pause(why) of MBean uk.anprhub:type=DeliveryTarget,name=" + route.substring("delivery-".length())
                    + " (audited), or suspend this route."
                    : verb + " route " + route + " from the console is refused: it takes camera input, and cameras would get errors."
                    + " To hold delivery, use operation pause(why) of MBean uk.anprhub:type=DeliveryTarget,name=<target>.";
        } catch (MalformedObjectNameException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Jolokia's error shape (one per request of a batch), so Hawtio shows the text instead of a bare failure. */
    private void refuseInJolokiasWords(HttpServletResponse response, JsonNode requests, String refusal) throws IOException {
        List<Map<String, Object>> answers = new ArrayList<>();
        for (JsonNode r : requests.isArray() ? requests : List.of(requests)) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", 403);
            answer.put("error_type", "java.lang.SecurityException");
            answer.put("error", refusal);
            answer.put("request", r);
            answers.add(answer);
        }
        response.setStatus(200);
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), requests.isArray() ? answers : answers.get(0));
    }

    private boolean allowed(String type, String mbean, String member) {
        try {
            ObjectName name = new ObjectName(mbean);
            return switch (type) {
                case "exec" -> policy.isOperationAllowed(name, member);
                case "write" -> policy.isAttributeWriteAllowed(name, member);
                default -> false;
            };
        } catch (MalformedObjectNameException e) {
            return false;
        }
    }

    private List<String> args(String operation, JsonNode arguments) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : arguments) {
            out.add(masked(operation, a));
        }
        return out;
    }

    private static String masked(String member, JsonNode value) {
        if (SECRET.matcher(member).matches()) {
            return "***";
        }
        return AuditLog.printable(value.isTextual() ? value.asText() : value.toString(), 200);
    }

    /** The request type of a GET: first segment after .../jolokia/ or of the {@code p} parameter. */
    static String getType(HttpServletRequest request) {
        String p = request.getParameter("p");
        String path = p != null ? p : request.getRequestURI().substring(request.getContextPath().length());
        if (p == null) {
            int at = path.indexOf("/jolokia");
            path = path.substring(at + "/jolokia".length());
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        int slash = path.indexOf('/');
        return (slash < 0 ? path : path.substring(0, slash)).toLowerCase(java.util.Locale.ROOT);
    }

    private static void refuse(HttpServletResponse response, int status, String error, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"" + error + "\",\"detail\":\"" + detail + "\"}");
    }

    /** The body read once for the audit, replayed to Jolokia. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String enc = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    enc == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(enc)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
