package uk.anprhub.transport.ftp;

import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.ftplet.FileSystemFactory;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.User;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Apache FtpServer's native file system (each account jailed in its home) with two changes for uploads: a file
 * may not grow beyond the maximum size (the transfer fails, the inbox is told), and a completed upload is forced
 * to disk before the server answers 226, so a file the camera was told is stored survives a power cut.
 */
final class InboxFileSystemFactory implements FileSystemFactory {

    private final NativeFileSystemFactory delegate = new NativeFileSystemFactory();
    private final long maxFileSize;
    private final boolean fsync;
    private final FtpInbox inbox;

    InboxFileSystemFactory(long maxFileSize, boolean fsync, FtpInbox inbox) {
        this.maxFileSize = maxFileSize;
        this.fsync = fsync;
        this.inbox = inbox;
        delegate.setCreateHome(true);
    }

    @Override
    public FileSystemView createFileSystemView(User user) throws FtpException {
        return new View(delegate.createFileSystemView(user));
    }

    /** The physical path of a file of this file system, or null. */
    static Path physical(FtpFile file) {
        Object p = file == null ? null : file.getPhysicalFile();
        return p instanceof File f ? f.toPath().toAbsolutePath().normalize() : null;
    }

    private final class View implements FileSystemView {
        private final FileSystemView v;

        View(FileSystemView v) {
            this.v = v;
        }

        @Override
        public FtpFile getHomeDirectory() throws FtpException {
            return wrap(v.getHomeDirectory());
        }

        @Override
        public FtpFile getWorkingDirectory() throws FtpException {
            return wrap(v.getWorkingDirectory());
        }

        @Override
        public boolean changeWorkingDirectory(String dir) throws FtpException {
            return v.changeWorkingDirectory(dir);
        }

        @Override
        public FtpFile getFile(String file) throws FtpException {
            return wrap(v.getFile(file));
        }

        @Override
        public boolean isRandomAccessible() throws FtpException {
            return v.isRandomAccessible();
        }

        @Override
        public void dispose() {
            v.dispose();
        }
    }

    private FtpFile wrap(FtpFile f) {
        return f == null ? null : new LimitedFile(f);
    }

    private final class LimitedFile implements FtpFile {
        private final FtpFile f;

        LimitedFile(FtpFile f) {
            this.f = f;
        }

        @Override
        public OutputStream createOutputStream(long offset) throws IOException {
            if (!f.isWritable()) {
                throw new IOException("No write permission");
            }
            Path path = physical(f);
            if (offset > maxFileSize) {
                inbox.markTooLarge(path);
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

        @Override
        public InputStream createInputStream(long offset) throws IOException {
            return f.createInputStream(offset);
        }

        @Override
        public boolean move(FtpFile destination) {
            return f.move(destination instanceof LimitedFile l ? l.f : destination);
        }

        @Override
        public String getAbsolutePath() {
            return f.getAbsolutePath();
        }

        @Override
        public String getName() {
            return f.getName();
        }

        @Override
        public boolean isHidden() {
            return f.isHidden();
        }

        @Override
        public boolean isDirectory() {
            return f.isDirectory();
        }

        @Override
        public boolean isFile() {
            return f.isFile();
        }

        @Override
        public boolean doesExist() {
            return f.doesExist();
        }

        @Override
        public boolean isReadable() {
            return f.isReadable();
        }

        @Override
        public boolean isWritable() {
            return f.isWritable();
        }

        @Override
        public boolean isRemovable() {
            return f.isRemovable();
        }

        @Override
        public String getOwnerName() {
            return f.getOwnerName();
        }

        @Override
        public String getGroupName() {
            return f.getGroupName();
        }

        @Override
        public int getLinkCount() {
            return f.getLinkCount();
        }

        @Override
        public long getLastModified() {
            return f.getLastModified();
        }

        @Override
        public boolean setLastModified(long time) {
            return f.setLastModified(time);
        }

        @Override
        public long getSize() {
            return f.getSize();
        }

        @Override
        public Object getPhysicalFile() {
            return f.getPhysicalFile();
        }

        @Override
        public boolean mkdir() {
            return f.mkdir();
        }

        @Override
        public boolean delete() {
            return f.delete();
        }

        @Override
        public List<? extends FtpFile> listFiles() {
            return f.listFiles();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LimitedFile l ? f.equals(l.f) : f.equals(o);
        }

        @Override
        public int hashCode() {
            return f.hashCode();
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
                inbox.markTooLarge(path);
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
