package io.alfer.datasets.synthetic;

import static io.alfer.datasets.synthetic.Identity.between;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.random.RandomGenerator;

/**
 * Draws one face with Java2D (antialiased) at twice the output size, under a random pose, then
 * averages 2×2 blocks down and adds lighting, contrast, noise and, sometimes, an occluder. Not
 * thread-safe: it reuses its canvas.
 */
final class FaceRenderer {

  private static final int OVERSAMPLE = 2;
  private static final double OCCLUSION_RATE = 0.15;

  private final int size;
  private final int canvas;
  private final BufferedImage image;
  private final int[] argb;

  FaceRenderer(int size) {
    this.size = size;
    this.canvas = size * OVERSAMPLE;
    this.image = new BufferedImage(canvas, canvas, BufferedImage.TYPE_INT_RGB);
    this.argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
  }

  /** Canvas side in pixels, the unit of {@link Identity}. */
  int canvas() {
    return canvas;
  }

  /** Row-major 8-bit gray pixels, {@code size × size}. */
  byte[] render(Identity who, Expression what, RandomGenerator rng) {
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(gray(who.background()));
      g.fillRect(0, 0, canvas, canvas);
      g.translate(
          canvas / 2.0 + canvas * between(rng, -0.06, 0.06),
          canvas / 2.0 + canvas * between(rng, -0.05, 0.07));
      g.rotate(between(rng, -0.2, 0.2));
      double scale = between(rng, 0.88, 1.12);
      g.scale(scale, scale);
      drawHead(g, who);
      drawBrows(g, who, what);
      drawEyes(g, who, what);
      drawNose(g, who, what);
      drawMouth(g, who, what);
      if (rng.nextDouble() < OCCLUSION_RATE) {
        drawOccluder(g, who, rng);
      }
    } finally {
      g.dispose();
    }
    return finish(rng);
  }

  private void drawHead(Graphics2D g, Identity who) {
    double a = who.faceHalfWidth();
    double b = who.faceHalfHeight();
    Shape face = new Ellipse2D.Double(-a, -b, 2 * a, 2 * b);
    g.setColor(gray(who.hair()));
    g.fill(new Ellipse2D.Double(-a * 1.1, -b * 1.1, a * 2.2, b * 1.4));
    g.setColor(gray(who.skin()));
    g.fill(face);
    Shape clip = g.getClip();
    g.clip(face);
    g.setColor(gray(who.hair()));
    g.fill(new Ellipse2D.Double(-a * 1.3, -b * 2, a * 2.6, b * 2 - who.hairline()));
    g.setClip(clip);
  }

  private void drawBrows(Graphics2D g, Identity who, Expression what) {
    double b = who.faceHalfHeight();
    double y = who.eyeY() - who.browGap() - what.browRaise() * b;
    double half = who.eyeWidth() * 0.7;
    g.setColor(gray(who.hair() + 15));
    g.setStroke(new BasicStroke((float) (canvas * 0.035), BasicStroke.CAP_ROUND, 0));
    for (int side = -1; side <= 1; side += 2) {
      double centre = side * who.eyeSpacing();
      double inner = centre - side * half;
      double outer = centre + side * half;
      double innerY = y + what.browInnerDown() * b;
      double outerY = y - what.browInnerDown() * b * 0.3;
      g.draw(
          new QuadCurve2D.Double(
              inner, innerY, centre, Math.min(innerY, outerY) - b * 0.03, outer, outerY));
    }
  }

  private void drawEyes(Graphics2D g, Identity who, Expression what) {
    double w = who.eyeWidth();
    double h = w * 0.42 * what.eyeOpen();
    for (int side = -1; side <= 1; side += 2) {
      double cx = side * who.eyeSpacing();
      Shape eye = new Ellipse2D.Double(cx - w / 2, who.eyeY() - h / 2, w, h);
      g.setColor(gray(Math.min(235, who.skin() + 60)));
      g.fill(eye);
      Shape clip = g.getClip();
      g.clip(eye);
      double iris = w * 0.42;
      g.setColor(gray(25));
      g.fill(new Ellipse2D.Double(cx - iris / 2, who.eyeY() - iris / 2, iris, iris));
      g.setClip(clip);
      g.setColor(gray(who.skin() - 85));
      g.setStroke(new BasicStroke((float) (canvas * 0.018)));
      g.draw(
          new QuadCurve2D.Double(
              cx - w / 2, who.eyeY(), cx, who.eyeY() - h, cx + w / 2, who.eyeY()));
    }
  }

  private void drawNose(Graphics2D g, Identity who, Expression what) {
    double a = who.faceHalfWidth();
    double b = who.faceHalfHeight();
    double tip = who.eyeY() + who.noseLength();
    int shadow = who.skin() - 45;
    g.setColor(gray(shadow));
    g.setStroke(new BasicStroke((float) (canvas * 0.016), BasicStroke.CAP_ROUND, 0));
    g.draw(
        new QuadCurve2D.Double(a * 0.05, who.eyeY() + b * 0.08, a * 0.12, tip - b * 0.04, 0, tip));
    double flare = what.noseWrinkle() ? 1.3 : 1;
    g.setColor(gray(shadow - 30));
    for (int side = -1; side <= 1; side += 2) {
      double nx = side * a * 0.1 * flare;
      g.fill(new Ellipse2D.Double(nx - a * 0.05, tip - b * 0.02, a * 0.1, b * 0.05));
    }
    if (what.noseWrinkle()) {
      g.setColor(gray(shadow - 20));
      g.setStroke(new BasicStroke((float) (canvas * 0.014), BasicStroke.CAP_ROUND, 0));
      for (int i = 0; i < 3; i++) {
        double y = who.eyeY() + b * (0.04 + 0.06 * i);
        g.draw(new QuadCurve2D.Double(-a * 0.13, y, 0, y - b * 0.03, a * 0.13, y));
      }
    }
    if (what.cheekLines()) {
      g.setColor(gray(shadow));
      g.setStroke(new BasicStroke((float) (canvas * 0.014), BasicStroke.CAP_ROUND, 0));
      double mouthCorner = who.mouthHalfWidth() * what.mouthWidth();
      for (int side = -1; side <= 1; side += 2) {
        g.draw(
            new QuadCurve2D.Double(
                side * a * 0.22,
                tip - b * 0.02,
                side * (mouthCorner + a * 0.12),
                who.mouthY() - b * 0.12,
                side * (mouthCorner + a * 0.06),
                who.mouthY() + b * 0.06));
      }
    }
  }

  private void drawMouth(Graphics2D g, Identity who, Expression what) {
    double b = who.faceHalfHeight();
    double half = who.mouthHalfWidth() * what.mouthWidth();
    double y = who.mouthY();
    double lift = what.mouthLift() * b;
    double leftY = y - lift;
    double rightY = y - lift - what.sneer() * b;
    int lips = who.skin() - 75;
    if (what.mouthOpen() > 0) {
      double open = what.mouthOpen() * b;
      Path2D.Double mouth = new Path2D.Double();
      mouth.moveTo(-half, leftY);
      mouth.quadTo(0, y + lift * 0.6 - open * 0.5, half, rightY);
      mouth.quadTo(0, y + lift + open * 1.5, -half, leftY);
      mouth.closePath();
      g.setColor(gray(25));
      g.fill(mouth);
      if (what.teeth()) {
        Shape clip = g.getClip();
        g.clip(mouth);
        g.setColor(gray(Math.min(240, who.skin() + 70)));
        g.fill(new Rectangle2D.Double(-half, y - b, 2 * half, b + lift * 0.6 - open * 0.05));
        g.setClip(clip);
      }
      g.setColor(gray(lips));
      g.setStroke(new BasicStroke((float) (who.lipWidth() * 0.8)));
      g.draw(mouth);
    } else {
      g.setColor(gray(lips));
      g.setStroke(
          new BasicStroke((float) (who.lipWidth() * what.lipPress()), BasicStroke.CAP_ROUND, 0));
      g.draw(new QuadCurve2D.Double(-half, leftY, 0, y + lift, half, rightY));
    }
  }

  private void drawOccluder(Graphics2D g, Identity who, RandomGenerator rng) {
    double a = who.faceHalfWidth();
    double b = who.faceHalfHeight();
    double w = a * between(rng, 0.5, 1.3);
    double h = b * between(rng, 0.25, 0.6);
    double x = a * between(rng, -1.1, 1.1) - w / 2;
    double y = b * between(rng, -0.6, 0.9) - h / 2;
    g.setColor(gray((int) between(rng, 0, 255)));
    g.fill(new Rectangle2D.Double(x, y, w, h));
  }

  /** Averages 2×2 blocks, then applies lighting gradient, contrast, brightness and noise. */
  private byte[] finish(RandomGenerator rng) {
    double angle = between(rng, 0, 2 * Math.PI);
    double gradient = between(rng, 0, 0.6);
    double gx = Math.cos(angle) * gradient / size;
    double gy = Math.sin(angle) * gradient / size;
    double contrast = between(rng, 0.75, 1.2);
    double brightness = between(rng, -20, 20);
    double noise = between(rng, 2, 9);
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int top = (2 * y) * canvas + 2 * x;
        int bottom = top + canvas;
        double mean =
            ((argb[top] & 0xff)
                    + (argb[top + 1] & 0xff)
                    + (argb[bottom] & 0xff)
                    + (argb[bottom + 1] & 0xff))
                / 4.0;
        double light = 1 + (x - size / 2.0) * gx + (y - size / 2.0) * gy;
        double v = (mean * light - 128) * contrast + 128 + brightness + rng.nextGaussian() * noise;
        out[y * size + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
      }
    }
    return out;
  }

  private static Color gray(int level) {
    int v = Math.max(0, Math.min(255, level));
    return new Color(v, v, v);
  }
}
