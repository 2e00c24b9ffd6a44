package io.alfer.datasets.image;

import io.alfer.datasets.image.InvalidImageException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns uploaded image bytes into a {@link NormalizedImage}: format from the magic bytes, size from
 * the header (refused above the pixel limit before anything is decoded), decode with ImageIO (first
 * frame of a GIF), 8-bit gray, centre square crop, resize to {@code size × size}, canonical PNG and
 * content id.
 *
 * <p>Thread-safe: holds only its configuration.
 */
public final class ImageNormalizer {

  /** Canonical side of FER2013 images. */
  public static final int DEFAULT_SIZE = 48;

  /** Default pixel limit: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** Source format of {@link #normalizeGrayPixels(byte[], int, int)}. */
  public static final String RAW_GRAY_FORMAT = "gray8";

  private final int size;
  private final long maxPixels;

  /** A normaliser to 48×48 that refuses images over 40 megapixels. */
  public ImageNormalizer() {
    this(DEFAULT_SIZE, DEFAULT_MAX_PIXELS);
  }

  /**
   * A normaliser to {@code size × size} that refuses images announcing more than {@code maxPixels}.
   *
   * @throws IllegalArgumentException when {@code size} is not in 1..4096 or {@code maxPixels} is
   *     not positive
   */
  public ImageNormalizer(int size, long maxPixels) {
    if (size < 1 || size > 4096) {
      throw new IllegalArgumentException("canonical size must be 1..4096, got " + size);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("pixel limit must be positive, got " + maxPixels);
    }
    this.size = size;
    this.maxPixels = maxPixels;
  }

  /** Canonical side in pixels. */
  public int size() {
    return size;
  }

  /** Largest accepted width × height of a source image. */
  public long maxPixels() {
    return maxPixels;
  }

  /**
   * Normalises an encoded PNG, JPEG, BMP or GIF image.
   *
   * @throws InvalidImageException when the bytes are not a usable image; its reason says why
   */
  public NormalizedImage normalize(byte[] bytes) {
    ImageFormat format = ImageFormat.detect(bytes);
    BufferedImage image = decode(bytes, format);
    byte[] gray = Grayscale.of(image);
    return canonical(gray, image.getWidth(), image.getHeight(), format.id());
  }

  /**
   * Normalises row-major 8-bit gray pixels (e.g. a FER2013 CSV row); source format {@value
   * #RAW_GRAY_FORMAT}.
   *
   * @throws InvalidImageException when the dimensions do not match the pixel count or exceed the
   *     pixel limit
   */
  public NormalizedImage normalizeGrayPixels(byte[] pixels, int width, int height) {
    return normalizeGrayPixels(pixels, width, height, RAW_GRAY_FORMAT);
  }

  /**
   * Normalises row-major 8-bit gray pixels, recording {@code sourceFormat} (e.g. fer2013-csv).
   *
   * @throws InvalidImageException when the dimensions do not match the pixel count or exceed the
   *     pixel limit
   */
  public NormalizedImage normalizeGrayPixels(
      byte[] pixels, int width, int height, String sourceFormat) {
    if (width < 1 || height < 1 || (long) width * height != pixels.length) {
      throw new InvalidImageException(
          Reason.CORRUPT,
          "%d gray pixels do not make a %dx%d image".formatted(pixels.length, width, height));
    }
    checkPixelCount(width, height);
    return canonical(pixels, width, height, sourceFormat);
  }

  private NormalizedImage canonical(byte[] gray, int width, int height, String sourceFormat) {
    byte[] pixels = SquareResampler.cropAndResize(gray, width, height, size);
    return new NormalizedImage(
        ContentId.of(size, size, pixels),
        size,
        size,
        pixels,
        GrayPng.encode(pixels, size, size),
        sourceFormat);
  }

  private BufferedImage decode(byte[] bytes, ImageFormat format) {
    ImageReader reader = readerFor(format);
    TruncationWarnings warnings = new TruncationWarnings();
    try (ImageInputStream input =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(input, true, true);
      reader.addIIOReadWarningListener(warnings);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width < 1 || height < 1) {
        throw new InvalidImageException(
            Reason.CORRUPT, "%s header gives an empty size %dx%d".formatted(format, width, height));
      }
      checkPixelCount(width, height);
      BufferedImage image = reader.read(0);
      if (warnings.truncated != null) {
        throw new InvalidImageException(
            Reason.TRUNCATED, format + " data ends early: " + warnings.truncated);
      }
      return image;
    } catch (InvalidImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Decoders signal bad data with IOExceptions and, for some inputs, runtime exceptions.
      // A file without its format's end marker that fails to decode was cut short.
      Reason reason =
          endsEarly(e) || !format.looksComplete(bytes) ? Reason.TRUNCATED : Reason.CORRUPT;
      String verb = reason == Reason.TRUNCATED ? "is truncated" : "is corrupt";
      throw new InvalidImageException(reason, format + " image " + verb + ": " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  private void checkPixelCount(int width, int height) {
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new InvalidImageException(
          Reason.TOO_MANY_PIXELS,
          "%dx%d is %d pixels, over the limit of %d".formatted(width, height, pixels, maxPixels));
    }
  }

  private static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
    if (!readers.hasNext()) {
      throw new IllegalStateException("the JDK has no ImageIO reader for " + format);
    }
    return readers.next();
  }

  private static boolean endsEarly(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("premature end")
          || message.contains("unexpected end")
          || message.contains("eof")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  /** Remembers the JPEG decoder's "premature end of data" warning, which it does not throw. */
  private static final class TruncationWarnings implements IIOReadWarningListener {
    private String truncated;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
        truncated = warning;
      }
    }
  }
}
