package dev.changepipe.scd;

import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.SqlDialect;

/**
 * The common expressions both plans start from: each touched key's changes after rule 2.2 (one per
 * sequence value, the last to arrive), as {@code changes} with the target columns, {@code _seq} and
 * {@code _is_delete}. With {@code ignore_null_updates} (rule 2.3) an upsert's NULL in a listed column
 * is filled there, in sequence order, with the last non-NULL value of the key's upserts since its last
 * delete; so change detection, the change feed and the versions all see the filled values, and a late
 * row is filled, and fills, where its sequence puts it. Off, {@code changes} is the picked rows as
 * they landed, and no window beyond today's runs.
 */
final class FilledChanges {
    /** Each touched key's raw rows; {@code _pick} is 1 for the last to arrive of each sequence value. */
    static final String PICKED = picked("""
                FROM {{raw}} r {{semi_join}} cp_keys k ON {{match_r_k}}
                WHERE r._file_id <= :to_file
            """);

    /**
     * {@link #PICKED} with {@code apply_as_truncates} (rule 2.4): each truncate up to the batch is also a delete of
     * every touched key at its sequence value, as if that key's own row, so that rule 2.2 breaks its ties by arrival.
     */
    static final String PICKED_WITH_TRUNCATES = pickedWithTruncates("cp_keys", "r._file_id <= :to_file");

    /**
     * The changes of the keys of {@code keys} (a relation with the key columns, aliased {@code k}) that {@code upTo}
     * keeps (a condition on raw rows aliased {@code r}), truncates given to every key, picked as {@link #PICKED} picks.
     */
    static String pickedWithTruncates(String keys, String upTo) {
        return """
            picked AS (
                SELECT *, row_number() OVER (PARTITION BY {{keys}}, _seq ORDER BY _file_id DESC, _line DESC) AS _pick
                FROM (
                    SELECT {{r_target_columns}}, {{sequence}} AS _seq, {{is_delete}} AS _is_delete, r._file_id, r._line
                    FROM {{raw}} r {{semi_join}} %1$s k ON {{match_r_k}}
                    WHERE %2$s AND NOT {{is_truncate}}
                    UNION ALL
                    SELECT {{k_keys_and_nulls}}, {{sequence}}, true, r._file_id, r._line
                    FROM {{raw}} r CROSS JOIN %1$s k
                    WHERE %2$s AND {{is_truncate}}
                ) own_and_truncates
            )
            """.formatted(keys, upTo);
    }

    /** The raw rows a {@code FROM … WHERE …} selects, as {@link #PICKED} picks them. */
    static String picked(String rows) {
        return """
            picked AS (
                SELECT {{r_target_columns}}, {{sequence}} AS _seq, {{is_delete}} AS _is_delete,
                    -- Of several changes with one sequence value, the last to arrive wins.
                    row_number() OVER (PARTITION BY {{r_keys}}, {{sequence}} ORDER BY r._file_id DESC, r._line DESC) AS _pick
            """ + rows + """
            )
            """;
    }

    /** The picked changes as they landed: a NULL is a value (rule 3.3). */
    static final String AS_LANDED = """
            changes AS (
                SELECT {{target_columns}}, _seq, _is_delete FROM picked WHERE _pick = 1
            )
            """;

    /**
     * The picked changes with NULLs filled (rule 2.3). A tied loser is gone before the fill, so it fills
     * nothing. {@code _deletes} counts the deletes before a change: the upserts after a delete are a
     * group of their own, and the delete itself ends the group before, so it never lends its values.
     */
    static final String FILLED = """
            counted AS (
                SELECT *,
                    count(CASE WHEN _is_delete THEN 1 END) OVER (PARTITION BY {{keys}} ORDER BY _seq
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS _deletes
                FROM picked
                WHERE _pick = 1
            ), changes AS (
                SELECT {{filled_columns}}, _seq, _is_delete
                FROM counted
                WINDOW fill AS (PARTITION BY {{keys}}, _deletes ORDER BY _seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            )
            """;

    private FilledChanges() {}

    /** Whether the spec has truncates: only then do the plans run {@link #PICKED_WITH_TRUNCATES}. */
    static boolean truncates(PipelineSpec spec) {
        return spec.truncateWhen().isPresent();
    }

    /** Whether the spec fills any column: only then do the plans run {@link #FILLED}. */
    static boolean on(PipelineSpec spec) {
        return !spec.ignoreNullUpdates().isEmpty();
    }

    /**
     * The target columns of {@code changes} over {@code counted}: a filled column's upsert takes the
     * last non-NULL value so far in its group; a delete keeps what it carried.
     */
    static String filledColumns(PipelineSpec spec, SqlDialect dialect) {
        return list(spec.targetColumns(), c -> spec.ignoreNullUpdates().contains(c)
                ? "CASE WHEN _is_delete THEN " + dialect.quote(c) + " ELSE " + dialect.lastNonNull(dialect.quote(c))
                        + " OVER fill END AS " + dialect.quote(c)
                : dialect.quote(c));
    }
}
