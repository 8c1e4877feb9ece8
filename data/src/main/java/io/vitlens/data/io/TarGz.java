package io.vitlens.data.io;

import io.vitlens.data.DatasetException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * One sequential pass over a .tar.gz (or plain .tar): the only way to read an archive without
 * unpacking it. Entry names are normalised to forward slashes without a leading "./".
 */
public final class TarGz {
    /** Receives each entry; {@code in} is valid only during the call and ends at the entry's end. */
    public interface Visitor {
        void entry(String name, boolean directory, long size, InputStream in) throws IOException;
    }

    private TarGz() {}

    /** Whether the file name looks like a tar archive this class reads. */
    public static boolean isArchiveName(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".tar");
    }

    /**
     * Visits every entry in archive order.
     *
     * @throws DatasetException naming the archive when it is not gzip/tar or ends early
     */
    public static void read(Path archive, Visitor visitor) throws IOException {
        if (!Files.isRegularFile(archive)) throw new DatasetException(archive + ": archive does not exist");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            InputStream body = raw;
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) body = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(body)) {
                TarArchiveEntry e;
                int count = 0;
                while ((e = tar.getNextTarEntry()) != null) {
                    count++;
                    String name = normalise(e.getName());
                    if (name.isEmpty()) continue;
                    if (e.isDirectory()) visitor.entry(name, true, 0, InputStream.nullInputStream());
                    else if (e.isFile()) visitor.entry(name, false, e.getSize(), tar);
                }
                if (count == 0)
                    throw new DatasetException(archive + ": not a tar archive (no entries); expected a .tar.gz of the dataset");
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {   // EOFException, ZipException, commons-compress "Truncated TAR archive"...
            throw new DatasetException(archive + ": archive is truncated or corrupt (" + e.getMessage()
                    + "); expected a complete .tar.gz", e);
        }
    }

    static String normalise(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        if (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        return n;
    }

    /** The last path component of an entry name. */
    public static String baseName(String entryName) {
        int slash = entryName.lastIndexOf('/');
        return slash < 0 ? entryName : entryName.substring(slash + 1);
    }

    /**
     * Reads exactly {@code size} bytes of the current entry.
     *
     * @throws DatasetException when the entry ends early
     */
    public static byte[] readEntry(InputStream in, long size, String what) throws IOException {
        if (size > Integer.MAX_VALUE - 16)
            throw new DatasetException(what + ": " + size + " bytes is too large to hold in memory");
        byte[] data = new byte[(int) size];
        int n = in.readNBytes(data, 0, data.length);
        if (n != size) throw new DatasetException(what + ": expected " + size + " bytes, the archive ends after " + n);
        return data;
    }
}
