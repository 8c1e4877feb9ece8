package io.vitlens.data;

/**
 * The three views of a dataset. TRAIN and VALIDATION partition the source's training files (the
 * validation part is carved out by {@link DataConfig#validationFraction()}); TEST is the source's own
 * test set, never used for model selection.
 */
public enum Split { TRAIN, VALIDATION, TEST }
