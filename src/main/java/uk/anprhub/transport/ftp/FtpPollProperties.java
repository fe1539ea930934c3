package uk.anprhub.transport.ftp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The remote FTP/SFTP poller ({@code anpr.ftp-poll.*}). Only its route ({@code routes/ftp-poll.camel.yaml}, a
 * templatedRoute of {@code routes/anpr-ftp-poll.camel.yaml} with name {@code ftp-poll}) reads these, through Camel's
 * placeholders, which see the Spring environment and not this record: so every default is also in application.yaml
 * (ConfigurationDocTest keeps the two equal, RouteFilesTest the template's). The record binds them at start (a wrong
 * type fails there, not at the first poll) and documents them. Another poller's keys ({@code anpr.<name>.*}) are not
 * bound here.
 *
 * @param enabled              add the route (its precondition); off: the hub starts without it
 * @param scheme               {@code ftp}, {@code sftp} or {@code ftps}
 * @param host                 the remote server
 * @param port                 its port (22 for SFTP)
 * @param directory            the remote directory polled; done/ and failed/ are made under it
 * @param username             the hub's login on the server
 * @param password             its password (empty: none)
 * @param feed                 the feed whose connector decodes the files
 * @param folder               the folder name given to filename connectors (it identifies the camera); empty: the last
 *                             element of {@code directory}
 * @param delay                milliseconds between polls
 * @param retryDelay           milliseconds the route waits before a file the store could not take is fetched again
 * @param quietPeriod          a file is taken once its size and time stopped changing for this long (readLockMinAge)
 * @param readLockCheckInterval milliseconds between the checks of a file still being written
 */
@ConfigurationProperties("anpr.ftp-poll")
public record FtpPollProperties(@DefaultValue("false") boolean enabled, @DefaultValue("ftp") String scheme,
                                @DefaultValue("localhost") String host, @DefaultValue("21") int port,
                                @DefaultValue("anpr") String directory, @DefaultValue("anpr") String username,
                                @DefaultValue("") String password, @DefaultValue("hikvision-ftp") String feed,
                                @DefaultValue("") String folder, @DefaultValue("5000") long delay,
                                @DefaultValue("5000") long retryDelay, @DefaultValue("10s") Duration quietPeriod,
                                @DefaultValue("1000") long readLockCheckInterval) {
}
