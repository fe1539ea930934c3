package uk.anprhub.core;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.util.List;

/**
 * The truly global {@code anpr.*} settings, read by several features. Every other key lives in its feature's
 * {@code *Properties} record; docs/configuration.md lists them all. Environment variables of the contract map onto
 * these in application.yaml (ANPR_DATA_DIR, ANPR_DEMO, ...).
 *
 * @param dataDir where the embedded database, the image store and the FTP homes live ({@code ANPR_DATA_DIR})
 * @param demo    demo/dev mode ({@code run --demo}, {@code ANPR_DEMO}): every connector id is an open HTTP feed and,
 *                with no camera registry configured, the demo registry is loaded; never in production
 * @param users   operator accounts (name, bcrypt password-hash from {@code bin/anpr-hub hash-password}, roles);
 *                none: Hawtio and /api/v1 refuse everyone
 */
@ConfigurationProperties("anpr")
public record HubProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("false") boolean demo,
        List<User> users) {

    public HubProperties {
        users = users == null ? List.of() : users;
    }

    /**
     * An operator account: password as a bcrypt hash ({@code bin/anpr-hub hash-password}), never in clear.
     *
     * @param name         the login name
     * @param passwordHash bcrypt hash of the password
     * @param roles        ops, investigator, supervisor, auditor, hotlist-manager ...; none: the account reaches nothing
     */
    public record User(String name, String passwordHash, List<String> roles) {
    }
}
