package dev.changepipe.csv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.spec.QualityCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How many rows of one landed file failed each quality check, kept with the file's ledger entry (its
 * {@code check_failures} column) so that the counts commit with the rows, exactly once.
 * A file a check refused has one count: that check, {@code refuse}, 1 (the line that refused it).
 *
 * @param counts in spec order of the checks; a check no row failed is left out
 */
public record CheckCounts(List<Count> counts) {

    public static final CheckCounts NONE = new CheckCounts(List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The rows of a file that failed one check, and what the check did to them. */
    public record Count(String check, QualityCheck.OnFail onFail, long rows) {
        public Count {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(onFail, "onFail");
        }
    }

    public CheckCounts {
        counts = List.copyOf(counts);
    }

    public static CheckCounts refusedBy(QualityCheck check) {
        return new CheckCounts(List.of(new Count(check.name(), QualityCheck.OnFail.REFUSE, 1)));
    }

    /** These counts and {@code other}'s, added by check and mode: a task run's files together. */
    public CheckCounts plus(CheckCounts other) {
        if (other.isEmpty()) {
            return this;
        }
        Map<List<Object>, Long> rows = new LinkedHashMap<>();
        for (Count count : counts) {
            rows.merge(List.of(count.check(), count.onFail()), count.rows(), Long::sum);
        }
        for (Count count : other.counts) {
            rows.merge(List.of(count.check(), count.onFail()), count.rows(), Long::sum);
        }
        List<Count> sum = new ArrayList<>();
        rows.forEach((key, n) -> sum.add(new Count((String) key.get(0), (QualityCheck.OnFail) key.get(1), n)));
        return new CheckCounts(sum);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /**
     * The stored form, JSON text such as {@code [{"check":"age_known","on_fail":"warn","rows":2}]} so a user's
     * query can read it on either engine; null when no row failed a check.
     */
    public String toJson() {
        if (counts.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Count count : counts) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("check", count.check());
            item.put("on_fail", count.onFail().word());
            item.put("rows", count.rows());
            items.add(item);
        }
        try {
            return JSON.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the stored form back; null (an entry without failures, or one written before checks) is {@link #NONE}. */
    public static CheckCounts fromJson(String json) {
        if (json == null) {
            return NONE;
        }
        try {
            List<Map<String, Object>> items = JSON.readValue(json, new TypeReference<>() {});
            List<Count> counts = new ArrayList<>();
            for (Map<String, Object> item : items) {
                String mode = (String) item.get("on_fail");
                counts.add(new Count((String) item.get("check"), QualityCheck.OnFail.of(mode)
                        .orElseThrow(() -> new IllegalArgumentException("not an on_fail mode: " + mode)),
                        ((Number) item.get("rows")).longValue()));
            }
            return new CheckCounts(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a check_failures value: " + json, e);
        }
    }

    /** A one-line summary for a table of files, e.g. {@code age_known warned 2; email_at dropped 1}. */
    public String summary() {
        if (counts.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Count count : counts) {
            String verb = switch (count.onFail()) {
                case WARN -> "warned";
                case DROP -> "dropped";
                case REFUSE -> "refused the file";
            };
            parts.add(count.check() + " " + verb + (count.onFail() == QualityCheck.OnFail.REFUSE ? "" : " " + count.rows()));
        }
        return String.join("; ", parts);
    }
}
