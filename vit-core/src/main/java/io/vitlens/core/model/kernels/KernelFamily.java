package io.vitlens.core.model.kernels;

/**
 * The groups of matrix products whose implementation {@link KernelChooser} picks by timing the candidates
 * on the model's real shapes. Each family has its own shape key, so e.g. the weight gradient of fc1 may run
 * on OpenBLAS while its forward runs on the vector loops.
 */
public enum KernelFamily {
    /** y = x W^T + b (+ residual): qkv, proj, fc2. Shape R x N x K. */
    LINEAR_FORWARD("linear.forward"),
    /** GELU(x W^T + b) and its derivative: fc1. Shape R x N x K. */
    LINEAR_FORWARD_GELU("linear.forwardGelu"),
    /** dX = dY W. Shape R x N x K. */
    LINEAR_INPUT_GRAD("linear.inputGrad"),
    /** dW = dY^T X and the bias gradient. Shape R x N x K. */
    LINEAR_WEIGHT_GRAD("linear.weightGrad"),
    /** softmax(Q K^T / sqrt(d)) V for every image and head. Shape B x T x H x d. */
    ATTENTION_FORWARD("attention.forward"),
    /** The attention's backward products and softmax backward. Shape B x T x H x d. */
    ATTENTION_BACKWARD("attention.backward");

    private final String id;

    KernelFamily(String id) {
        this.id = id;
    }

    /** The stable name used in keys, metrics.jsonl and the cache file, e.g. {@code linear.weightGrad}. */
    public String id() {
        return id;
    }

    /** Whether the family belongs to the linear layers (overridden by {@code vitlens.linear}). */
    public boolean linear() {
        return this != ATTENTION_FORWARD && this != ATTENTION_BACKWARD;
    }

    public static KernelFamily ofId(String id) {
        for (KernelFamily f : values()) if (f.id.equals(id)) return f;
        throw new IllegalArgumentException("unknown kernel family '" + id + "'; known: "
                + java.util.Arrays.stream(values()).map(KernelFamily::id).toList());
    }
}
