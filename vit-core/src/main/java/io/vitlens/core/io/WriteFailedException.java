package io.vitlens.core.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writing an output file failed (disk full, a directory where the file should go, no permission...). The
 * message names the file and the step that failed; {@link AtomicFiles} guarantees that the file as it was
 * before the attempt (absent, or the previous version) is untouched.
 */
public class WriteFailedException extends IOException {
    private final Path target;

    public WriteFailedException(Path target, String message, Throwable cause) {
        super(message, cause);
        this.target = target;
    }

    /** The file that could not be written. */
    public Path target() { return target; }

    /**
     * The cause in words: NIO's file system exceptions carry only a path as their message
     * ({@code DirectoryNotEmptyException: /x}), so their class names the problem.
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String kind = f.getClass() == FileSystemException.class ? "file system error"
                    : f.getClass().getSimpleName().replace("Exception", "")
                            .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            StringBuilder b = new StringBuilder(kind);
            if (f.getReason() != null) b.append(" (").append(f.getReason()).append(')');
            if (f.getFile() != null) b.append(": ").append(f.getFile());
            if (f.getOtherFile() != null) b.append(" -> ").append(f.getOtherFile());
            return b.toString();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
