package uk.anprhub.transport.ftp;

import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Tells the inbox's {@link UploadTracker} about uploads: before STOR/APPE (refuse with 452 when too many files wait, wait
 * while the same file is being ingested), after them (taken only when the server answered 226, i.e. the upload
 * completed), renames (RNTO: a camera that uploads under a temporary name) and deletes. Also enforces TLS before
 * login and for data when {@code anpr.ftp.tls.required}, and the account's quota of waiting files and bytes (452).
 */
final class UploadFtplet extends DefaultFtplet {

    private static final String UPLOAD = "anpr.upload";
    private static final String RENAME_FROM = "anpr.renameFrom";

    private final UploadTracker uploads;
    private final UploadLimits limits;
    private final Map<String, FtpInbox.Account> accounts;
    private final boolean requireTls;

    UploadFtplet(UploadTracker uploads, UploadLimits limits, Map<String, FtpInbox.Account> accounts, boolean requireTls) {
        this.uploads = uploads;
        this.limits = limits;
        this.accounts = accounts;
        this.requireTls = requireTls;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException {
        String command = request.getCommand().toUpperCase(Locale.ROOT);
        // Commands of a session run one after the other: an upload this session still "has" was cut short.
        if (session.getAttribute(UPLOAD) != null) {
            session.removeAttribute(UPLOAD);
            uploads.sessionDone(session.getSessionId());
        }
        if (requireTls && !session.isSecure() && (command.equals("USER") || command.equals("PASS"))) {
            session.write(new DefaultFtpReply(534, "TLS required: send AUTH TLS first"));
            return FtpletResult.SKIP;
        }
        switch (command) {
            case "STOR", "APPE" -> {
                if (requireTls && !session.getDataConnection().isSecure()) {
                    session.write(new DefaultFtpReply(534, "Protected data connection required: send PBSZ 0 and PROT P"));
                    return FtpletResult.SKIP;
                }
                Path file = file(session, request);
                FtpInbox.Account account = account(session);
                if (file == null || account == null) {
                    return FtpletResult.DEFAULT; // let the server answer (bad name, no permission)
                }
                if (limits.overQuota(account)) { // 452: insufficient storage, transient (the camera retries later)
                    session.write(new DefaultFtpReply(FtpReply.REPLY_452_REQUESTED_ACTION_NOT_TAKEN,
                            "Quota of this account's folder reached; try again later"));
                    return FtpletResult.SKIP;
                }
                UploadAdmission admission = limits.lowOnSpace(file) ? UploadAdmission.FULL
                        : uploads.begin(file, session.getSessionId());
                switch (admission) {
                    case FULL -> {
                        session.write(new DefaultFtpReply(FtpReply.REPLY_452_REQUESTED_ACTION_NOT_TAKEN,
                                "Too many files waiting to be stored; try again later"));
                        return FtpletResult.SKIP;
                    }
                    case BUSY -> {
                        session.write(new DefaultFtpReply(FtpReply.REPLY_450_REQUESTED_FILE_ACTION_NOT_TAKEN,
                                "File busy; try again later"));
                        return FtpletResult.SKIP;
                    }
                    case ADMITTED -> session.setAttribute(UPLOAD, file);
                }
            }
            case "RNTO" -> {
                Path from = InboxFileSystemFactory.physical(session.getRenameFrom());
                if (from != null && !uploads.beforeChange(from)) {
                    session.write(new DefaultFtpReply(FtpReply.REPLY_450_REQUESTED_FILE_ACTION_NOT_TAKEN, "File busy; try again later"));
                    return FtpletResult.SKIP;
                }
                if (from != null) {
                    session.setAttribute(RENAME_FROM, from);
                }
            }
            case "DELE" -> {
                Path file = file(session, request);
                if (file != null && !uploads.beforeChange(file)) {
                    session.write(new DefaultFtpReply(FtpReply.REPLY_450_REQUESTED_FILE_ACTION_NOT_TAKEN, "File busy; try again later"));
                    return FtpletResult.SKIP;
                }
            }
            default -> {
            }
        }
        return FtpletResult.DEFAULT;
    }

    @Override
    public FtpletResult afterCommand(FtpSession session, FtpRequest request, FtpReply reply) throws FtpException {
        String command = request.getCommand().toUpperCase(Locale.ROOT);
        int code = reply == null ? 0 : reply.getCode();
        switch (command) {
            case "STOR", "APPE" -> {
                Object file = session.getAttribute(UPLOAD);
                session.removeAttribute(UPLOAD);
                if (file instanceof Path p) {
                    uploads.end(p, session.getSessionId(), account(session),
                            code == FtpReply.REPLY_226_CLOSING_DATA_CONNECTION || code == FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY,
                            remote(session));
                }
            }
            case "RNTO" -> {
                Object from = session.getAttribute(RENAME_FROM);
                session.removeAttribute(RENAME_FROM);
                Path to = file(session, request);
                FtpInbox.Account account = account(session);
                if (code == FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY && from instanceof Path f && to != null && account != null) {
                    uploads.renamed(f, to, account, remote(session));
                }
            }
            case "DELE" -> {
                Path file = file(session, request);
                if (code == FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY && file != null) {
                    uploads.deleted(file);
                }
            }
            default -> {
            }
        }
        return FtpletResult.DEFAULT;
    }

    @Override
    public FtpletResult onDisconnect(FtpSession session) {
        uploads.sessionDone(session.getSessionId());
        return FtpletResult.DEFAULT;
    }

    private FtpInbox.Account account(FtpSession session) {
        return session.getUser() == null ? null : accounts.get(session.getUser().getName());
    }

    private static Path file(FtpSession session, FtpRequest request) {
        if (!request.hasArgument() || session.getFileSystemView() == null) {
            return null;
        }
        try {
            FtpFile f = session.getFileSystemView().getFile(request.getArgument());
            return InboxFileSystemFactory.physical(f);
        } catch (FtpException | RuntimeException e) {
            return null;
        }
    }

    private static String remote(FtpSession session) {
        InetSocketAddress a = session.getClientAddress();
        return a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
    }
}
