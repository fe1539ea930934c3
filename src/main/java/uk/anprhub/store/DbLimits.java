package uk.anprhub.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The hub's database ({@code anpr.db.*}): where it is and how long the hub waits for it. The defaults bound a frozen or unreachable database to a few seconds, so a camera gets
 * 503 + Retry-After quickly instead of hanging. The session timeouts are set on every connection, embedded or external.
 *
 * @param url                      JDBC URL of an external PostgreSQL ({@code ANPR_DB_URL}); unset: the embedded
 *                                 PostgreSQL under {@code anpr.data-dir}
 * @param user                     its user ({@code ANPR_DB_USER})
 * @param password                 its password ({@code ANPR_DB_PASSWORD})
 * @param poolSize                 connections in the hub's pool
 * @param startTimeout             with an external database: how long {@code run} waits for it at start (one log line
 *                                 per attempt) before it stops with one line
 * @param startRetry               the first pause between those attempts; doubled up to 10 s
 * @param connectTimeout           longest wait for a pooled connection (Hikari connectionTimeout; also pgjdbc's
 *                                 connect and login timeouts)
 * @param commitBound              longest a group-commit transaction may wait on the server (network timeout of the
 *                                 writer's connection); beyond it the batch fails and its senders get 503
 * @param socketTimeout            longest wait for an answer of the server on any other connection (pgjdbc
 *                                 socketTimeout): no query hangs for ever on a frozen server
 * @param statementTimeout         PostgreSQL statement_timeout of every session
 * @param lockTimeout              PostgreSQL lock_timeout of every session
 * @param idleInTransactionTimeout PostgreSQL idle_in_transaction_session_timeout of every session
 * @param healthInterval           how often a background check asks the database; health answers from its last
 *                                 result at once, and says DOWN when no check succeeded for three intervals
 */
@ConfigurationProperties("anpr.db")
public record DbLimits(String url, String user, String password, @DefaultValue("16") int poolSize,
                       @DefaultValue("60s") Duration startTimeout, @DefaultValue("1s") Duration startRetry,
                       @DefaultValue("3s") Duration connectTimeout, @DefaultValue("4s") Duration commitBound,
                       @DefaultValue("60s") Duration socketTimeout, @DefaultValue("30s") Duration statementTimeout,
                       @DefaultValue("5s") Duration lockTimeout, @DefaultValue("60s") Duration idleInTransactionTimeout,
                       @DefaultValue("2s") Duration healthInterval) {

    /** An external database is configured: no embedded PostgreSQL. */
    public boolean external() {
        return url != null && !url.isBlank();
    }
}
