package io.vitlens.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Writes the small dataset files the tests read: CIFAR records, IDX files, images, tar.gz archives. */
final class TestFiles {
    private TestFiles() {}

    /** Pixel value of the CIFAR test record {@code id}, channel c, row y, column x: a known function. */
    static int cifarPixel(int id, int c, int y, int x) {
        return (id * 7 + c * 50 + y * 3 + x) & 0xFF;
    }

    /** CIFAR-10 records (label byte + 3072 pixels) with ids starting at {@code firstId}. */
    static byte[] cifar10Records(int[] labels, int firstId) {
        byte[] out = new byte[labels.length * 3073];
        for (int r = 0; r < labels.length; r++) {
            out[r * 3073] = (byte) labels[r];
            fillPixels(out, r * 3073 + 1, firstId + r);
        }
        return out;
    }

    /** CIFAR-100 records: coarse label byte, fine label byte, 3072 pixels. */
    static byte[] cifar100Records(int[] coarse, int[] fine, int firstId) {
        byte[] out = new byte[fine.length * 3074];
        for (int r = 0; r < fine.length; r++) {
            out[r * 3074] = (byte) coarse[r];
            out[r * 3074 + 1] = (byte) fine[r];
            fillPixels(out, r * 3074 + 2, firstId + r);
        }
        return out;
    }

    private static void fillPixels(byte[] out, int at, int id) {
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) out[at + c * 1024 + y * 32 + x] = (byte) cifarPixel(id, c, y, x);
    }

    static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    /**
     * A CIFAR-10 binary folder: data_batch_b holds 2 records (ids 2(b-1), 2(b-1)+1, labels id % 10),
     * test_batch 3 records (ids 100..102, labels 9, 0, 5).
     */
    static Path writeCifar10(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int b = 1; b <= 5; b++) {
            int id = 2 * (b - 1);
            Files.write(dir.resolve("data_batch_" + b + ".bin"), cifar10Records(new int[]{id % 10, (id + 1) % 10}, id));
        }
        Files.write(dir.resolve("test_batch.bin"), cifar10Records(new int[]{9, 0, 5}, 100));
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CIFAR10_NAMES) + "\n\n");
        return dir;
    }

    /** Packs every regular file under {@code root} into a .tar.gz, member names prefixed by {@code prefix}. */
    static Path tarGz(Path root, String prefix, Path archive) throws IOException {
        try (OutputStream fos = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(fos))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<Path> paths;
            try (Stream<Path> s = Files.walk(root)) {
                paths = s.sorted().toList();
            }
            for (Path p : paths) {
                if (p.equals(root)) continue;
                String name = prefix + root.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                } else {
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    e.setSize(Files.size(p));
                    tar.putArchiveEntry(e);
                    Files.copy(p, tar);
                }
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** IDX3 image file bytes: header + uint8 [n, rows, cols]. */
    static byte[] idxImages(int magic, int n, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return bos.toByteArray();
    }

    static byte[] idxLabels(int magic, byte[] labels) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        out.writeInt(labels.length);
        out.write(labels);
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    /** A solid-colour RGB image. */
    static BufferedImage solid(int w, int h, int r, int g, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.setRGB(x, y, (r << 16) | (g << 8) | b);
        return img;
    }

    static void writeImage(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, format, file.toFile())) throw new IOException("no ImageIO writer for " + format);
    }
}
