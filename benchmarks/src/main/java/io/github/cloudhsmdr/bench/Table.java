package io.github.cloudhsmdr.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The printed result: one Markdown row per measure, this run next to its reference and their ratio. */
final class Table {
    /** One measure. */
    record Row(String scenario, String measure, String value, String reference, String ratio) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(String scenario, String measure, String value, String reference, String ratio) {
        rows.add(new Row(scenario, measure, value, reference, ratio));
        System.err.println("  " + scenario + " | " + measure + " | " + value + " | " + reference + " | " + ratio);
    }

    /** A count next to its minimum. */
    void requests(String scenario, String measure, double value, long minimum) {
        add(scenario, measure, count(value), count(minimum) + " minimum", times(value / minimum));
    }

    /** A duration next to its critical path. */
    void wall(String scenario, String measure, double seconds, double criticalSeconds, String what) {
        add(scenario, measure, seconds(seconds), seconds(criticalSeconds) + " " + what, times(seconds / criticalSeconds));
    }

    void print(PrintStream out) {
        out.println("| scenario | measure | this run | reference | ratio |");
        out.println("|---|---|---|---|---|");
        for (Row r : rows) {
            out.println("| " + r.scenario() + " | " + r.measure() + " | " + r.value() + " | " + r.reference() + " | "
                    + r.ratio() + " |");
        }
    }

    static String count(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
    }

    static String seconds(double s) {
        return s >= 10 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, ratio >= 10 ? "%.1f×" : "%.2f×", ratio);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
