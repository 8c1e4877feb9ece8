package io.vitlens.data.synthetic;

import java.util.SplittableRandom;

/**
 * The ten classes of {@code synthetic-shapes}. Each samples a {@link Shape}: a mask over normalised
 * object coordinates (u, v) in [-1, 1]^2 (the object's bounding disc has radius 1) and a rotation.
 * The rotation ranges keep the classes apart: bars stay within 12 degrees of horizontal/vertical,
 * diagonal stripes within 12 degrees of 45/135; discs, squares and triangles turn freely. Five classes
 * differ only by outline (disc, square, triangle, ring, cross, blob) and four only by interior texture
 * (bars, stripes, checker), so both shape and local pattern matter.
 *
 * <p>Each class also has a typical colour (red, blue, green, yellow, purple, orange, cyan, pink, brown,
 * white, in declaration order: far apart in RGB), used only for the share of objects that
 * {@code SyntheticSpec.colourCue} paints in it.
 */
public enum ShapeClass {
    DISC("disc", 0.85, 0.10, 0.10) {
        @Override
        Shape sample(SplittableRandom r) {
            return new Shape(0, (u, v) -> u * u + v * v <= 1);
        }
    },
    SQUARE("square", 0.10, 0.35, 0.90) {
        @Override
        Shape sample(SplittableRandom r) {
            return new Shape(r.nextDouble() * Math.PI / 2, (u, v) -> Math.abs(u) <= 0.78 && Math.abs(v) <= 0.78);
        }
    },
    TRIANGLE("triangle", 0.10, 0.70, 0.15) {
        @Override
        Shape sample(SplittableRandom r) {
            // equilateral, inscribed in the unit circle: inside when on the inner side of all three edges,
            // whose normals point at angles 90, 210, 330 degrees and lie at distance 1/2 from the centre
            return new Shape(r.nextDouble() * 2 * Math.PI / 3,
                    (u, v) -> v <= 0.5 && (-0.8660254037844386 * u - 0.5 * v) <= 0.5 && (0.8660254037844386 * u - 0.5 * v) <= 0.5);
        }
    },
    RING("ring", 0.95, 0.85, 0.10) {
        @Override
        Shape sample(SplittableRandom r) {
            double inner = 0.45 + 0.2 * r.nextDouble();
            double in2 = inner * inner;
            return new Shape(0, (u, v) -> {
                double d = u * u + v * v;
                return d <= 1 && d >= in2;
            });
        }
    },
    CROSS("cross", 0.55, 0.15, 0.80) {
        @Override
        Shape sample(SplittableRandom r) {
            double w = 0.25 + 0.1 * r.nextDouble();
            return new Shape(tilt(r, 15), (u, v) -> (Math.abs(u) <= w && Math.abs(v) <= 0.95) || (Math.abs(v) <= w && Math.abs(u) <= 0.95));
        }
    },
    HORIZONTAL_BARS("horizontal bars", 0.95, 0.50, 0.05) {
        @Override
        Shape sample(SplittableRandom r) {
            int bars = 2 + r.nextInt(2);
            return new Shape(tilt(r, 12), (u, v) -> inBox(u, v) && stripe(v, bars));
        }
    },
    VERTICAL_BARS("vertical bars", 0.05, 0.80, 0.85) {
        @Override
        Shape sample(SplittableRandom r) {
            int bars = 2 + r.nextInt(2);
            return new Shape(tilt(r, 12), (u, v) -> inBox(u, v) && stripe(u, bars));
        }
    },
    DIAGONAL_STRIPES("diagonal stripes", 0.95, 0.40, 0.75) {
        @Override
        Shape sample(SplittableRandom r) {
            double angle = (r.nextBoolean() ? Math.PI / 4 : -Math.PI / 4) + tilt(r, 12);
            // stripes across the rotated v axis, clipped to a disc so the region outline carries no orientation
            return new Shape(angle, (u, v) -> u * u + v * v <= 0.9 && stripe(v, 3));
        }
    },
    CHECKER("checker", 0.45, 0.25, 0.05) {
        @Override
        Shape sample(SplittableRandom r) {
            int cells = 3 + r.nextInt(2);
            double cell = 1.6 / cells;
            return new Shape(tilt(r, 10), (u, v) -> {
                if (!inBox(u, v)) return false;
                int i = (int) ((u + 0.8) / cell), j = (int) ((v + 0.8) / cell);
                return ((i + j) & 1) == 0;
            });
        }
    },
    BLOB("blob", 0.95, 0.95, 0.95) {
        @Override
        Shape sample(SplittableRandom r) {
            // radius modulated by low harmonics: lumpy, never a circle (amplitudes >= 0.1)
            double[] amp = new double[3], phase = new double[3];
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                amp[k] = 0.10 + 0.10 * r.nextDouble();
                phase[k] = 2 * Math.PI * r.nextDouble();
                sum += amp[k];
            }
            double base = 1 / (1 + sum);   // largest radius <= 1
            return new Shape(0, (u, v) -> {
                double d2 = u * u + v * v;
                if (d2 > 1) return false;
                double phi = StrictMath.atan2(v, u);
                double rad = 1;
                for (int k = 0; k < 3; k++) rad += amp[k] * StrictMath.cos((k + 2) * phi + phase[k]);
                rad *= base;
                return d2 <= rad * rad;
            });
        }
    };

    /** A sampled object: rotation (radians) applied before the mask is evaluated. */
    record Shape(double rotation, Mask mask) {}

    /** Membership of a point in the object, in the object's own normalised frame. */
    interface Mask {
        boolean inside(double u, double v);
    }

    private final String label;
    private final double red, green, blue;

    ShapeClass(String label, double red, double green, double blue) {
        this.label = label;
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** Class name shown to users and stored as the dataset's class name. */
    public String label() {
        return label;
    }

    /** The class's typical colour as a fresh RGB array in [0, 1]. */
    double[] typicalColour() {
        return new double[]{red, green, blue};
    }

    abstract Shape sample(SplittableRandom r);

    private static double tilt(SplittableRandom r, double maxDegrees) {
        return Math.toRadians(maxDegrees * (2 * r.nextDouble() - 1));
    }

    private static boolean inBox(double u, double v) {
        return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    }

    /** {@code n} bars of equal width separated by n-1 equal gaps across [-0.8, 0.8]. */
    private static boolean stripe(double t, int n) {
        double period = 1.6 / (2 * n - 1);
        double k = Math.floor((t + 0.8) / period);
        return k >= 0 && k < 2 * n - 1 && ((long) k & 1) == 0;
    }
}
