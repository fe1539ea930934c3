package uk.anprhub.security;

import org.junit.jupiter.api.Test;
import uk.anprhub.support.HubIT;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, path by path, for every test account (one per role, and one with none): the accounts a path is
 * for get past security (a path not built yet may answer 404/405/400 to them, never 401/403), every other account
 * gets 403, and nobody without credentials gets in. Roles do not imply each other.
 */
class RoleBoundaryIT extends HubIT {

    static final List<String> ACCOUNTS = List.of("ops", "investigator", "supervisor", "auditor", "hotlists", "no-roles");

    record Door(String method, String path, Set<String> allowed) {
    }

    static final List<Door> DOORS = List.of(
            new Door("GET", "/api/v1/audit", Set.of("auditor")),
            new Door("POST", "/api/v1/national/search", Set.of("investigator")),
            new Door("POST", "/api/v1/national/authorisations", Set.of("supervisor")),
            new Door("GET", "/api/v1/hotlists", Set.of("hotlists")),
            new Door("GET", "/api/v1/reads/search", Set.of("investigator")),
            new Door("GET", "/api/v1/delivery/targets", Set.of("ops")),
            new Door("GET", "/api/v1/quarantine", Set.of("ops")),
            new Door("GET", "/actuator/hawtio/", Set.of("ops")),
            new Door("GET", "/ui/", Set.of("ops", "investigator", "supervisor", "auditor", "hotlists")),
            new Door("GET", "/api/v1/me", Set.of("ops", "investigator", "supervisor", "auditor", "hotlists")));

    private HttpResponse<String> knock(Door d, String account) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(d.path())).timeout(Duration.ofSeconds(30)).header("X-Anpr-Client", "test");
        if (account != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((account + ":" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        if (d.method().equals("POST")) {
            r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            r.GET();
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachPathLetsInItsRolesOnlyAndNobodyAnonymously() throws Exception {
        Map<String, Integer> wrong = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (Door d : DOORS) {
            for (String account : ACCOUNTS) {
                int status = knock(d, account).statusCode();
                seen.add(d.path() + " " + account + " " + status);
                boolean ok = d.allowed().contains(account) ? status != 401 && status != 403 : status == 403;
                if (!ok) {
                    wrong.put(d.method() + " " + d.path() + " as " + account, status);
                }
            }
            int anonymous = knock(d, null).statusCode();
            if (anonymous != 401 && !(d.path().startsWith("/ui") || d.path().startsWith("/actuator/hawtio")) ) {
                wrong.put(d.method() + " " + d.path() + " anonymously", anonymous);
            }
            if ((d.path().startsWith("/ui") || d.path().startsWith("/actuator/hawtio")) && anonymous != 302 && anonymous != 401) {
                wrong.put(d.method() + " " + d.path() + " anonymously (login page expected)", anonymous);
            }
        }
        assertThat(wrong).as(String.join("\n", seen)).isEmpty();
    }
}
