package io.vitlens.core.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The instruction-set flags the kernel reports for this processor (the first "flags" line of /proc/cpuinfo).
 * Empty where that file is missing or unreadable (not Linux, a sandbox), which callers treat as "only the
 * baseline instructions".
 *
 * @param flags lower-case flag names, e.g. avx2, fma, avx512f
 */
public record CpuFlags(Set<String> flags) {

    public CpuFlags {
        flags = java.util.Collections.unmodifiableSet(new TreeSet<>(flags));
    }

    /** The flags of a cpuinfo "flags : a b c" line (or of the bare list). */
    public static CpuFlags parse(String flagsLine) {
        String list = flagsLine.contains(":") ? flagsLine.substring(flagsLine.indexOf(':') + 1) : flagsLine;
        return new CpuFlags(new TreeSet<>(Arrays.asList(list.trim().toLowerCase(java.util.Locale.ROOT).split("\\s+"))));
    }

    /** This machine's flags, read once. */
    public static CpuFlags current() {
        return Holder.CURRENT;
    }

    /** Whether every named flag is present. */
    public boolean hasAll(String... names) {
        return Stream.of(names).allMatch(flags::contains);
    }

    private static final class Holder {
        static final CpuFlags CURRENT = read(Path.of("/proc/cpuinfo"));
    }

    static CpuFlags read(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst().map(CpuFlags::parse).orElse(new CpuFlags(Set.of()));
        } catch (IOException | UncheckedIOException e) {
            return new CpuFlags(Set.of());
        }
    }
}
