package io.vitlens.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Carves a stratified validation set out of a training pool: in every class, round(fraction * n_k)
 * images drawn by the seed go to validation, so class proportions are kept and a small class is not
 * left out by chance. Both index lists come back sorted, so evaluation order is the source order.
 *
 * @param train      indices into the pool kept for training, ascending
 * @param validation indices held out, ascending
 */
record ValidationSplit(int[] train, int[] validation) {

    /** Stream tag of the split, so it never shares a random stream with shuffling or augmentation. */
    private static final long SPLIT_STREAM = 0x5B1E7L;

    static ValidationSplit stratified(int[] labels, int numClasses, double fraction, long seed) {
        if (fraction == 0) {
            int[] all = new int[labels.length];
            Arrays.setAll(all, i -> i);
            return new ValidationSplit(all, new int[0]);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) byClass.add(new ArrayList<>());
        for (int i = 0; i < labels.length; i++) byClass.get(labels[i]).add(i);
        boolean[] held = new boolean[labels.length];
        int nHeld = 0;
        for (int k = 0; k < numClasses; k++) {
            int[] members = byClass.get(k).stream().mapToInt(Integer::intValue).toArray();
            SplittableRandom r = Seeds.random(seed, SPLIT_STREAM, k);
            Seeds.shuffle(members, r);
            int take = (int) Math.round(fraction * members.length);
            for (int j = 0; j < take; j++) held[members[j]] = true;
            nHeld += take;
        }
        int[] train = new int[labels.length - nHeld];
        int[] val = new int[nHeld];
        int t = 0, v = 0;
        for (int i = 0; i < labels.length; i++) {
            if (held[i]) val[v++] = i;
            else train[t++] = i;
        }
        return new ValidationSplit(train, val);
    }
}
