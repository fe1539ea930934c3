package uk.anprhub.ui;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import java.util.List;
import java.util.Map;

/**
 * The investigator/ops page ({@code /ui/}): one static page whose parts (search, national search, audit, alerts,
 * camera board) each show for the roles that may use them; {@code /api/v1/me} tells the page who is logged in.
 */
@Controller
class UiController {

    @GetMapping({"/ui", "/ui/"})
    String page() {
        return "forward:/ui/index.html";
    }

    /** The caller's account name and roles (no personal data of anyone else). */
    @GetMapping("/api/v1/me")
    @ResponseBody
    Map<String, Object> me(Authentication who) {
        List<String> roles = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
        return Map.of("name", who.getName(), "roles", roles);
    }
}
