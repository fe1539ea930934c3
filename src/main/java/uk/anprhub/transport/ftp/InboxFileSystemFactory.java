package uk.anprhub.transport.ftp;

import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.filesystem.nativefs.impl.NativeFileSystemView;
import org.apache.ftpserver.filesystem.nativefs.impl.NativeFtpFile;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.User;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Apache FtpServer's native file system (each account jailed in its home, the home created at login) with one
 * change, to uploads: a file may not grow beyond the maximum size (the transfer fails, the {@link UploadTracker} is
 * told), and a completed upload is forced to disk before the server answers 226, so a file the camera was told is
 * stored survives a power cut. Everything else is the native view's and file's own behaviour.
 */
final class InboxFileSystemFactory extends NativeFileSystemFactory {

    private final long maxFileSize;
    private final boolean fsync;
    private final UploadTracker uploads;

    InboxFileSystemFactory(long maxFileSize, boolean fsync, UploadTracker uploads) {
        this.maxFileSize = maxFileSize;
        this.fsync = fsync;
        this.uploads = uploads;
        setCreateHome(true);
    }

    @Override
    public FileSystemView createFileSystemView(User user) throws FtpException {
        super.createFileSystemView(user); // checks the home and creates it if missing; its plain view is not used
        return new View(user, isCaseInsensitive());
    }

    /** The physical path of a file of this file system, or null. */
    static Path physical(FtpFile file) {
        Object p = file == null ? null : file.getPhysicalFile();
        return p instanceof File f ? f.toPath().toAbsolutePath().normalize() : null;
    }

    /** The native view (paths resolved and jailed by it), handing out {@link LimitedFile}s for the files commands name. */
    private final class View extends NativeFileSystemView {
        private final User user;

        View(User user, boolean caseInsensitive) throws FtpException {
            super(user, caseInsensitive);
            this.user = user;
        }

        @Override
        public FtpFile getFile(String file) {
            FtpFile f = super.getFile(file);
            return f == null ? null : new LimitedFile(f.getAbsolutePath(), (File) f.getPhysicalFile(), user);
        }
    }

    /** A native file whose output stream is size-limited and fsyncing; move, equals etc. are the native ones. */
    private final class LimitedFile extends NativeFtpFile {

        LimitedFile(String virtualPath, File file, User user) {
            super(virtualPath, file, user);
        }

        @Override
        public OutputStream createOutputStream(long offset) throws IOException {
            if (!isWritable()) {
                throw new IOException("No write permission");
            }
            Path path = physical(this);
            if (offset > maxFileSize) {
                uploads.markTooLarge(path);
                throw new IOException("the file exceeds the maximum size");
            }
            boolean created = !path.toFile().exists();
            RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
            try {
                raf.setLength(offset);
                raf.seek(offset);
            } catch (IOException e) {
                raf.close();
                throw e;
            }
            return new LimitedOutputStream(raf, path, offset, created);
        }
    }

    private final class LimitedOutputStream extends OutputStream {
        private final RandomAccessFile raf;
        private final Path path;
        private final boolean created;
        private long size;
        private boolean cut;
        private boolean closed;

        LimitedOutputStream(RandomAccessFile raf, Path path, long offset, boolean created) {
            this.raf = raf;
            this.path = path;
            this.size = offset;
            this.created = created;
        }

        private void check(int len) throws IOException {
            if (size + len > maxFileSize) {
                cut = true;
                uploads.markTooLarge(path);
                throw new IOException("the file exceeds the maximum size of " + maxFileSize + " bytes");
            }
            size += len;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            raf.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            raf.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (fsync && !cut) {
                    raf.getFD().sync();
                    if (created) {
                        syncDirectory(path.getParent());
                    }
                }
            } finally {
                raf.close();
            }
        }
    }

    /** Makes a new directory entry durable (Linux); where a directory cannot be opened this is a no-op. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform
        }
    }
}
