package uk.anprhub.transport.ftp;

/** Whether an upload (STOR/APPE) may start: the Ftplet answers 452 to {@link #FULL} and 450 to {@link #BUSY}. */
enum UploadAdmission {
    ADMITTED,
    /** Too many files wait to be settled, or the disk is low on space: the camera keeps its file and retries. */
    FULL,
    /** A worker still has this file after the wait: the camera retries. */
    BUSY
}
