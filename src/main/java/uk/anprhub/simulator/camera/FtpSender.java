package uk.anprhub.simulator.camera;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * One FTP session uploading each message as a file, as cameras do. Acknowledged = the server's 226 (the file is
 * on the hub's disk); the hub commits the reads afterwards, so this is acceptance, not commit. 452 = pushed back.
 */
final class FtpSender implements Sender {

    private final FTPClient ftp = new FTPClient();

    private FtpSender(String host, int port, String user, String password) throws IOException {
        ftp.setConnectTimeout(5000);
        ftp.setDefaultTimeout(60_000);
        ftp.connect(host, port);
        if (!ftp.login(user, password)) {
            String reply = ftp.getReplyString();
            close();
            throw new IOException("FTP login refused: " + reply.trim());
        }
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
    }

    static Factory factory(String host, int port, String user, String password) {
        return () -> new FtpSender(host, port, user, password);
    }

    @Override
    public Ack send(Message m) throws IOException {
        boolean ok = ftp.storeFile(m.filename(), new ByteArrayInputStream(m.body()));
        int code = ftp.getReplyCode();
        String status = Integer.toString(code);
        if (ok && FTPReply.isPositiveCompletion(code)) {
            return Ack.acknowledged(status, m.reads());
        }
        if (code == 452 || code == 421) {
            return new Ack(Outcome.PUSHED_BACK, status, 0, 0, 0, 1000);
        }
        return Ack.refused(status);
    }

    @Override
    public void close() {
        try {
            if (ftp.isConnected()) {
                ftp.logout();
                ftp.disconnect();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
