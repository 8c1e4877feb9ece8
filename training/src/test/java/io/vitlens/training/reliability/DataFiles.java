package io.vitlens.training.reliability;

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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Small, valid dataset files in the official formats, for the tests to break in one place each. */
final class DataFiles {
    private DataFiles() {}

    static final int CIFAR_PIXELS = 3 * 32 * 32;

    /** {@code labels.length} CIFAR records of {@code labelBytes} label byte(s) (the last one the label) + 3072 pixels. */
    static byte[] cifarRecords(int labelBytes, int... labels) {
        int rec = labelBytes + CIFAR_PIXELS;
        byte[] out = new byte[labels.length * rec];
        for (int r = 0; r < labels.length; r++) {
            out[r * rec + labelBytes - 1] = (byte) labels[r];
            for (int i = 0; i < CIFAR_PIXELS; i++) out[r * rec + labelBytes + i] = (byte) (r * 31 + i);
        }
        return out;
    }

    /** The official CIFAR-10 binary folder layout: 5 training batches of 2 records, a test batch of 3, the names. */
    static Path cifar10(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int b = 1; b <= 5; b++) Files.write(dir.resolve("data_batch_" + b + ".bin"), cifarRecords(1, 2 * b - 2, 2 * b - 1));
        Files.write(dir.resolve("test_batch.bin"), cifarRecords(1, 9, 0, 5));
        Files.writeString(dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
        return dir;
    }

    /** An IDX3 image file: magic 0x803, n, rows, cols, then n*rows*cols bytes. */
    static byte[] idxImages(int n, int rows, int cols) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x00000803);
        d.writeInt(n);
        d.writeInt(rows);
        d.writeInt(cols);
        for (int i = 0; i < n * rows * cols; i++) d.writeByte(i * 7);
        return b.toByteArray();
    }

    /** An IDX1 label file: magic 0x801, n, then the labels. */
    static byte[] idxLabels(int... labels) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x00000801);
        d.writeInt(labels.length);
        for (int l : labels) d.writeByte(l);
        return b.toByteArray();
    }

    /** MNIST's four IDX files: 4 training and 2 test images of 28x28. */
    static Path mnist(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte"), idxImages(4, 28, 28));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0, 1, 2, 3));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idxImages(2, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idxLabels(4, 5));
        return dir;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        }
        return b.toByteArray();
    }

    /** root/{train,test}/{circle,square}/*.png, 8x8 solid images. */
    static Path imageFolder(Path root) throws IOException {
        for (String split : List.of("train", "test"))
            for (String cls : List.of("circle", "square"))
                for (int i = 0; i < 2; i++) png(root.resolve(split).resolve(cls).resolve(i + ".png"), 8, 8, cls.length() * 40 + i);
        return root;
    }

    static void png(Path file, int w, int h, int grey) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
        ImageIO.write(img, "png", file.toFile());
    }

    /** Packs every file under {@code root} into a .tar.gz, member names relative to {@code root}. */
    static Path tarGz(Path root, Path archive) throws IOException {
        try (OutputStream fos = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(fos))) {
            List<Path> paths;
            try (Stream<Path> s = Files.walk(root)) {
                paths = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path p : paths) {
                TarArchiveEntry e = new TarArchiveEntry(root.relativize(p).toString().replace('\\', '/'));
                e.setSize(Files.size(p));
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** The first {@code fraction} of the file's bytes, as a crash or a broken download leaves it. */
    static Path cut(Path file, double fraction) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, (int) (b.length * fraction)));
        return file;
    }
}
