package uk.anprhub.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Conditional;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.io.IOException;

/**
 * The login page's "identity provider" link ({@value OidcLogin#START}): to the provider when its endpoints are known,
 * else back to the login page with a note (never an error page while the provider is down).
 */
@Controller
@Conditional(OidcLogin.Enabled.class)
class OidcLoginStart {

    private final ClientRegistrationRepository registrations;

    OidcLoginStart(ClientRegistrationRepository registrations) {
        this.registrations = registrations;
    }

    @GetMapping(OidcLogin.START)
    void start(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean reachable = registrations.findByRegistrationId(OidcLogin.REGISTRATION) != null;
        response.sendRedirect(request.getContextPath()
                + (reachable ? "/oauth2/authorization/" + OidcLogin.REGISTRATION : "/login?idp-unavailable"));
    }
}
