package uk.anprhub.transport.ftp;

import java.nio.file.Path;

/** A file the inbox knows and has not settled yet. Its fields are guarded by the {@link InboxQueue}'s monitor. */
final class PendingFile {

    enum State { QUEUED, PROCESSING, WAITING }

    final Path path;
    final FtpInbox.Account account;
    String remoteAddr;
    State state = State.QUEUED;
    /** The upload was cut at the size limit: refused without reading it. */
    boolean tooLarge;
    int attempts;

    PendingFile(Path path, FtpInbox.Account account, String remoteAddr) {
        this.path = path;
        this.account = account;
        this.remoteAddr = remoteAddr;
    }
}
