package io.vitlens.training.reliability;

import io.vitlens.training.RunLock;

import java.nio.file.Path;

/**
 * A stand-in for a trainer in another JVM: takes the lock of the run directory {@code args[0]}, prints
 * {@code locked PID} and holds the lock until its stdin closes (or it is killed). Started by {@link RunLockTest}.
 */
public final class RunLockHolder {
    private RunLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) { /* hold until the parent closes our stdin */ }
        }
    }
}
