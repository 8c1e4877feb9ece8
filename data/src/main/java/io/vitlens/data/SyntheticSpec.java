package io.vitlens.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vitlens.core.InvalidFieldException;

/**
 * Knobs of the generated {@code synthetic-shapes} dataset. The difficulty knobs are here so that the
 * quickstart can be tuned until a small ViT learns it in minutes while still needing local spatial
 * structure: the shape's position and scale vary, so the model has to find the object; the background is
 * 1/f noise, so the edges of the object are not the only edges in the image.
 *
 * @param trainSize          images in the training pool (validation is carved out of it)
 * @param testSize           images in the test set (generated from a separate stream)
 * @param seed               generation seed; the same seed gives a byte-identical dataset
 * @param numClasses         how many of the 10 shape classes to use (the first ones in
 *                           {@code ShapeClass} order), 2..10
 * @param minScale           smallest object diameter as a fraction of the image side
 * @param maxScale           largest object diameter as a fraction of the image side
 * @param backgroundContrast standard deviation of the 1/f background around its mean colour, in [0,1]
 *                           pixel units
 * @param minContrast        smallest luminance difference between the object colour and the mean
 *                           background colour, in [0,1] pixel units
 * @param pixelNoise         standard deviation of i.i.d. Gaussian pixel noise, in [0,1] pixel units
 * @param colourCue          probability in [0,1] that an object is painted in its class's typical colour
 *                           (jittered) instead of a uniformly random one. 0 (the default) makes shape the
 *                           only cue; a partial cue gives a from-scratch ViT a first-order signal to start
 *                           learning from, as colour does in natural images, while shape is still needed
 *                           for the rest of the images
 * @param edgeMargin         how far the object's centre stays inside the image border, as a fraction of
 *                           the object's radius, in [0,1]. The default 0.85 keeps nearly every object whole,
 *                           but then the border patches almost never show an object; 0 lets centres reach
 *                           the border (objects may be cut by it), so that every grid position shows
 *                           objects nearly as often and the border is not a class of its own
 * @param objectsPerImage    how many objects of the image's class are drawn, each with its own position,
 *                           scale and rotation (one colour per image), 1..{@value #MAX_OBJECTS}
 * @param lightGradient      brightness added to the whole scene (background and objects) at the top edge
 *                           minus that at the bottom edge, in [0,1] pixel units, linear in between and the
 *                           same in every image ("lit from above", as photographs mostly are). 0 (the
 *                           default) keeps the image statistics the same at every row; a gradient makes them
 *                           depend on the row, which a learned position embedding picks up
 * @param lightAngle         where the light comes from, in degrees in [-180, 180]: 0 (the default) from above,
 *                           90 from the left, 45 from the top-left. {@code lightGradient} is the brightness
 *                           difference along that direction between the edges of the image; the part across
 *                           the columns survives training only without horizontal flips (a flipped scene is
 *                           lit from the other side)
 */
public record SyntheticSpec(int trainSize, int testSize, long seed, int numClasses, double minScale, double maxScale,
                            double backgroundContrast, double minContrast, double pixelNoise, double colourCue,
                            double edgeMargin, int objectsPerImage, double lightGradient, double lightAngle) {

    public static final int MAX_CLASSES = 10;
    /** The default {@link #edgeMargin}: objects stay (almost) whole inside the image. */
    public static final double DEFAULT_EDGE_MARGIN = 0.85;
    /** Most objects one image may hold. */
    public static final int MAX_OBJECTS = 16;

    /** Where a config file keeps these fields; messages name them as {@code data.synthetic.<component>}. */
    private static final String SECTION = "data.synthetic";

    public SyntheticSpec {
        if (trainSize < 1)
            throw InvalidFieldException.of(SECTION, "trainSize", trainSize + " must be >= 1");
        if (testSize < 0)
            throw InvalidFieldException.of(SECTION, "testSize", testSize + " must be >= 0");
        if (numClasses < 2 || numClasses > MAX_CLASSES)
            throw InvalidFieldException.of(SECTION, "numClasses", numClasses + " is outside 2.." + MAX_CLASSES);
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1))
            throw new InvalidFieldException(SECTION, "minScale", k -> k.apply("minScale") + "/" + k.apply("maxScale")
                    + ": " + minScale + "/" + maxScale + " must satisfy 0 < min <= max <= 1");
        requireUnit("backgroundContrast", backgroundContrast);
        requireUnit("minContrast", minContrast);
        requireUnit("pixelNoise", pixelNoise);
        requireUnit("colourCue", colourCue);
        requireUnit("lightGradient", lightGradient);
        if (!(lightAngle >= -180 && lightAngle <= 180))
            throw InvalidFieldException.of(SECTION, "lightAngle", lightAngle + " is outside [-180, 180] degrees");
        if (objectsPerImage < 1 || objectsPerImage > MAX_OBJECTS)
            throw InvalidFieldException.of(SECTION, "objectsPerImage", objectsPerImage + " is outside 1.." + MAX_OBJECTS);
        if (!(edgeMargin >= -1 && edgeMargin <= 1))
            throw InvalidFieldException.of(SECTION, "edgeMargin", edgeMargin + " is outside [-1, 1]");
    }

    /** A spec lit from above (light angle 0). */
    public SyntheticSpec(int trainSize, int testSize, long seed, int numClasses, double minScale, double maxScale,
                         double backgroundContrast, double minContrast, double pixelNoise, double colourCue,
                         double edgeMargin, int objectsPerImage, double lightGradient) {
        this(trainSize, testSize, seed, numClasses, minScale, maxScale, backgroundContrast, minContrast, pixelNoise,
                colourCue, edgeMargin, objectsPerImage, lightGradient, 0);
    }

    /** A spec without the colour cue (shape is the only thing that tells the classes apart) and default edge margin. */
    public SyntheticSpec(int trainSize, int testSize, long seed, int numClasses, double minScale, double maxScale,
                         double backgroundContrast, double minContrast, double pixelNoise) {
        this(trainSize, testSize, seed, numClasses, minScale, maxScale, backgroundContrast, minContrast, pixelNoise, 0,
                DEFAULT_EDGE_MARGIN, 1, 0);
    }

    private static void requireUnit(String field, double v) {
        if (!(v >= 0 && v <= 1))
            throw InvalidFieldException.of(SECTION, field, v + " is outside [0, 1]");
    }

    /** 10 000 training and 2 000 test images of all 10 classes, objects 30-65% of the side, no colour cue. */
    public static SyntheticSpec defaults() {
        return new SyntheticSpec(10_000, 2_000, 1L, MAX_CLASSES, 0.30, 0.65, 0.12, 0.25, 0.03, 0, DEFAULT_EDGE_MARGIN, 1, 0);
    }

    /** Jackson entry point: every field left out of the YAML block takes its {@link #defaults()} value. */
    @JsonCreator
    public static SyntheticSpec of(@JsonProperty("trainSize") Integer trainSize,
                                   @JsonProperty("testSize") Integer testSize,
                                   @JsonProperty("seed") Long seed,
                                   @JsonProperty("numClasses") Integer numClasses,
                                   @JsonProperty("minScale") Double minScale,
                                   @JsonProperty("maxScale") Double maxScale,
                                   @JsonProperty("backgroundContrast") Double backgroundContrast,
                                   @JsonProperty("minContrast") Double minContrast,
                                   @JsonProperty("pixelNoise") Double pixelNoise,
                                   @JsonProperty("colourCue") Double colourCue,
                                   @JsonProperty("edgeMargin") Double edgeMargin,
                                   @JsonProperty("objectsPerImage") Integer objectsPerImage,
                                   @JsonProperty("lightGradient") Double lightGradient,
                                   @JsonProperty("lightAngle") Double lightAngle) {
        SyntheticSpec d = defaults();
        return new SyntheticSpec(trainSize == null ? d.trainSize : trainSize,
                testSize == null ? d.testSize : testSize,
                seed == null ? d.seed : seed,
                numClasses == null ? d.numClasses : numClasses,
                minScale == null ? d.minScale : minScale,
                maxScale == null ? d.maxScale : maxScale,
                backgroundContrast == null ? d.backgroundContrast : backgroundContrast,
                minContrast == null ? d.minContrast : minContrast,
                pixelNoise == null ? d.pixelNoise : pixelNoise,
                colourCue == null ? d.colourCue : colourCue,
                edgeMargin == null ? d.edgeMargin : edgeMargin,
                objectsPerImage == null ? d.objectsPerImage : objectsPerImage,
                lightGradient == null ? d.lightGradient : lightGradient,
                lightAngle == null ? d.lightAngle : lightAngle);
    }

    /** A copy with other sizes, for tests and quick runs. */
    public SyntheticSpec withSizes(int train, int test) {
        return new SyntheticSpec(train, test, seed, numClasses, minScale, maxScale, backgroundContrast, minContrast,
                pixelNoise, colourCue, edgeMargin, objectsPerImage, lightGradient, lightAngle);
    }
}
