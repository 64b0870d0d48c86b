package dev.changepipe.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How two readings of the same tables (CSV lines by table, header first) differ, for a failure message. */
public final class TableDifferences {
    private TableDifferences() {}

    /**
     * The differences between two readings, empty when they are identical; otherwise, per table, the row counts and
     * the first rows found on one side only (or out of order). Both readings of a differing table are also written
     * under {@code out} for a full diff.
     */
    public static String of(Map<String, List<String>> expected, Map<String, List<String>> actual, String expectedName,
            String actualName, Path out) throws IOException {
        StringBuilder report = new StringBuilder();
        for (String table : expected.keySet()) {
            List<String> want = expected.get(table);
            List<String> have = actual.get(table);
            if (want.equals(have)) {
                continue;
            }
            Files.createDirectories(out);
            Files.write(out.resolve(table + "." + expectedName + ".csv"), want);
            Files.write(out.resolve(table + "." + actualName + ".csv"), have);
            Set<String> onlyWanted = new LinkedHashSet<>(want);
            have.forEach(onlyWanted::remove);
            Set<String> onlyHad = new LinkedHashSet<>(have);
            want.forEach(onlyHad::remove);
            report.append(table).append(": ").append(want.size() - 1).append(" rows ").append(expectedName).append(", ")
                    .append(have.size() - 1).append(" rows ").append(actualName).append(" (full tables in ").append(out)
                    .append(")\n");
            report.append("  header ").append(expectedName).append(": ").append(want.get(0)).append('\n');
            report.append(sample("  only " + expectedName, onlyWanted));
            report.append(sample("  only " + actualName, onlyHad));
            if (onlyWanted.isEmpty() && onlyHad.isEmpty()) {
                report.append("  the same rows, but not equally often or not in the same order\n");
            }
        }
        return report.toString();
    }

    private static String sample(String title, Set<String> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        List<String> first = new ArrayList<>(rows).subList(0, Math.min(8, rows.size()));
        return title + " (" + rows.size() + "):\n    " + String.join("\n    ", first) + "\n";
    }
}
