package io.github.cloudhsmdr.testkit.emulator;

/** Deterministic ids that match the CloudHSM id patterns, for tests. */
final class Ids {
    private static final String CHARS = "abcdefghijklmnopqrstuvwxyz234567";

    private Ids() {
    }

    static String backup(int n) {
        return "backup-" + suffix(n);
    }

    static String cluster(int n) {
        return "cluster-" + suffix(n);
    }

    private static String suffix(int n) {
        StringBuilder sb = new StringBuilder();
        int v = n;
        for (int i = 0; i < 11; i++) {
            sb.append(CHARS.charAt(v % 32));
            v /= 32;
        }
        return sb.toString();
    }
}
