package io.grokstream.gateway.view;

/**
 * Orders analysis versions such as {@code 1.2} &lt; {@code 1.10}: numeric runs compare as numbers, the rest as
 * text; a null version is the oldest.
 */
final class VersionOrder {
    private VersionOrder() {
    }

    static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        String[] pa = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] pb = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c;
            if (pa[i].matches("\\d+") && pb[i].matches("\\d+")) {
                c = new java.math.BigInteger(pa[i]).compareTo(new java.math.BigInteger(pb[i]));
            } else {
                c = pa[i].compareTo(pb[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }
}
