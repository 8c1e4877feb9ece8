package io.vitlens.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one atomic write: old or new content, never half; no temporary file left; failures name file and step. */
class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void replacesTheFileAndLeavesNothingElse() throws IOException {
        Path f = dir.resolve("a/b/metrics.csv");   // missing folders are created
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeBytes(f, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", Files.readString(f));
        assertEquals(List.of(f), files());
    }

    @Test
    void theResultHasThePermissionsOfAPlainlyWrittenFile() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(atomic)), "not owner-only like createTempFile");
    }

    @Test
    void anExceptionOfTheBodyPassesThroughAndTheOldFileStays() throws IOException {
        Path f = dir.resolve("archive.tar.gz");
        AtomicFiles.writeString(f, "old");
        IOException own = new IOException("checksum mismatch");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);   // past the buffer: some of it reached the temporary file
            throw own;
        }));
        assertSame(own, thrown, "not wrapped: it is the body's verdict, not a failed write");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> { throw new IllegalStateException("x"); }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), files());
    }

    @Test
    void aFailedRenameNamesTheTargetAndTheStepAndLeavesNoTemporaryFile() throws IOException {
        Path blocker = Files.createDirectories(dir.resolve("epoch-001.zip"));
        Files.writeString(blocker.resolve("inside"), "a non-empty folder cannot be replaced by a file");
        WriteFailedException e = assertThrows(WriteFailedException.class, () -> AtomicFiles.writeString(blocker, "new"));
        assertEquals(blocker, e.target());
        assertTrue(e.getMessage().startsWith("cannot write " + blocker + ": renaming the temporary file"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(epoch-001.zip is unchanged)"), e.getMessage());
        assertEquals(List.of(blocker.resolve("inside")), files());
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        WriteFailedException e = assertThrows(WriteFailedException.class, () -> AtomicFiles.writeString(file.resolve("f"), "y"));
        assertTrue(e.getMessage().contains("creating the directory " + file), e.getMessage());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
