package io.vitlens.data.io;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Decodes one JPEG or PNG (javax.imageio) into RGB planes uint8 [3, S, S]: the centred square crop of
 * the image (so aspect ratios are not distorted) resized to S by {@link Resampler}; greyscale is
 * replicated to three channels and alpha is dropped. Keeps one ImageIO reader per format and reuses it:
 * looking readers up per image costs more than decoding a 32x32 JPEG. Not thread-safe: one per thread.
 */
final class ImageDecoder {
    private final int size;
    private final ImageReader jpeg = reader("jpeg");
    private final ImageReader png = reader("png");
    private final Map<Integer, Resampler> resamplers = new HashMap<>();
    /** Last decoder warning: libjpeg reports a truncated file as a warning and pads it with grey. */
    private String warning;
    private float[] tmp = new float[0];

    ImageDecoder(int size) {
        this.size = size;
    }

    private ImageReader reader(String format) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        if (!it.hasNext()) throw new IllegalStateException("this JDK has no ImageIO reader for " + format);
        ImageReader r = it.next();
        r.addIIOReadWarningListener((source, message) -> warning = message);
        return r;
    }

    /**
     * Decodes {@code encoded} into {@code dst[0 .. 3*S*S)}.
     *
     * @throws IOException with the decoder's reason when the bytes are not a readable image
     */
    void decode(byte[] encoded, byte[] dst) throws IOException {
        BufferedImage img = read(encoded);
        int w = img.getWidth(), h = img.getHeight();
        byte[] px;
        int bands;
        int[] order;   // band index of R, G, B in px
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && isPlain(img)) {
            px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            bands = 3;
            order = new int[]{2, 1, 0};
        } else if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && isPlain(img)) {
            px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            bands = 1;
            order = new int[]{0, 0, 0};
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            px = new byte[w * h * 3];
            for (int i = 0; i < argb.length; i++) {
                px[3 * i] = (byte) (argb[i] >> 16);
                px[3 * i + 1] = (byte) (argb[i] >> 8);
                px[3 * i + 2] = (byte) argb[i];
            }
            bands = 3;
            order = new int[]{0, 1, 2};
        }
        int m = Math.min(w, h);
        int x0 = (w - m) / 2, y0 = (h - m) / 2;
        int plane = size * size;
        if (m == size) {
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < size; y++) {
                    int from = ((y0 + y) * w + x0) * bands + order[c], to = c * plane + y * size;
                    for (int x = 0; x < size; x++) dst[to + x] = px[from + x * bands];
                }
            return;
        }
        Resampler r = resamplers.computeIfAbsent(m, k -> new Resampler(k, size));
        if (tmp.length < m * size) tmp = new float[m * size];
        for (int c = 0; c < 3; c++) r.resize(px, w, bands, order[c], x0, y0, tmp, dst, c * plane);
    }

    /** A raster whose data buffer is exactly the image, row-major from (0, 0), no padding. */
    private static boolean isPlain(BufferedImage img) {
        var raster = img.getRaster();
        return raster.getParent() == null && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && ((DataBufferByte) raster.getDataBuffer()).getData().length == img.getWidth() * img.getHeight()
                * raster.getNumBands();
    }

    private BufferedImage read(byte[] encoded) throws IOException {
        ImageReader reader = isJpeg(encoded) ? jpeg : isPng(encoded) ? png : null;
        if (reader == null) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            if (img == null) throw new IOException("not a JPEG or PNG (no ImageIO reader recognises it)");
            return img;
        }
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            reader.setInput(in, true, true);
            warning = null;
            BufferedImage img = reader.read(0);
            if (warning != null) throw new IOException(warning);
            return img;
        } catch (RuntimeException e) {   // ImageIO throws e.g. IndexOutOfBounds / IllegalState on some corrupt files
            throw new IOException(e.toString(), e);
        } finally {
            reader.setInput(null);
        }
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }
}
