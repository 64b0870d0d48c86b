package dev.changepipe.scd;

import static dev.changepipe.sql.ColumnFragments.anyOrFalse;
import static dev.changepipe.sql.ColumnFragments.keysMatch;
import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.engine.TableColumns;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.TableRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The pieces that fill the plans' templates, and the engines' own, for one spec in one dialect:
 * quoted table and column names, column lists and key matches under the aliases the templates use,
 * the sequence and the {@code delete_when} condition with its values.
 */
public final class PlanFragments {
    /** The table aliases the templates use: each gets {@code <alias>_target_columns}. */
    private static final List<String> ALIASES = List.of("r", "c", "l", "f", "s", "h", "a");
    /** The alias pairs whose rows are matched on the key: {@code match_<left>_<right>}. */
    private static final List<List<String>> MATCHES = List.of(List.of("r", "k"), List.of("l", "c"), List.of("h", "k"),
            List.of("f", "s"), List.of("a", "c"), List.of("h", "a"), List.of("h", "l"), List.of("c", "k"));

    private PlanFragments() {}

    /** What orders a key's changes, of raw rows aliased {@code r}: the sequence column, or the ingestion time. */
    static String sequence(PipelineSpec spec, SqlDialect dialect) {
        return spec.sequenceBy().map(c -> "r." + dialect.quote(c)).orElse("r._ingested_at");
    }

    public static Map<String, Sql> of(PipelineSpec spec, SqlDialect dialect) {
        List<String> keys = spec.keys();
        List<String> target = spec.targetColumns();
        Map<String, String> f = new HashMap<>();
        f.put("raw", dialect.table(TableRole.RAW));
        f.put("rejects", dialect.table(TableRole.REJECTS));
        f.put("current", dialect.table(TableRole.CURRENT));
        f.put("history", dialect.table(TableRole.HISTORY));
        f.put("start", dialect.quote(spec.historyColumns().start()));
        f.put("end", dialect.quote(spec.historyColumns().end()));
        f.put("is_current", dialect.quote(spec.historyColumns().current()));
        // The history's flags, and the action columns that give them: _is_current, and _is_deleted with history_deletes: row.
        List<String> flags = TableColumns.historyFlags(spec);
        List<String> flagActions = spec.historyColumns().deleted().isPresent()
                ? List.of("_is_current", "_is_deleted") : List.of("_is_current");
        f.put("flag_columns", list(flags, dialect::quote));
        f.put("flag_definitions", list(flags, c -> dialect.quote(c) + " BOOLEAN NOT NULL"));
        f.put("action_flags", String.join(", ", flagActions));
        f.put("a_flags", list(flagActions, c -> "a." + c));
        f.put("set_h_flags", String.join(", ", IntStream.range(0, flags.size())
                .mapToObj(i -> "h." + dialect.quote(flags.get(i)) + " = a." + flagActions.get(i)).toList()));
        f.put("stored_deleted", spec.historyColumns().deleted().map(c -> "h." + dialect.quote(c)).orElse("false"));
        f.put("semi_join", dialect.semiJoin());
        f.put("keys", list(keys, dialect::quote));
        f.put("r_keys", list(keys, c -> "r." + dialect.quote(c)));
        f.put("target_columns", list(target, dialect::quote));
        for (String alias : ALIASES) {
            f.put(alias + "_target_columns", list(target, c -> alias + "." + dialect.quote(c)));
        }
        for (List<String> pair : MATCHES) {
            f.put("match_" + pair.get(0) + "_" + pair.get(1), keysMatch(keys, pair.get(0), pair.get(1)));
        }
        f.put("sequence", sequence(spec, dialect));
        f.put("values_differ_l_c", anyOrFalse(spec.valueColumns(),
                c -> "l." + dialect.quote(c) + " IS DISTINCT FROM c." + dialect.quote(c)));
        f.put("values_differ_f_s", anyOrFalse(spec.valueColumns(),
                c -> "f." + dialect.quote(c) + " IS DISTINCT FROM s." + dialect.quote(c)));
        // Keys are never NULL in the current table (a change with a NULL key is rejected), so a NULL key
        // column after an outer join means the row is not there.
        f.put("c_absent", "c." + dialect.quote(keys.get(0)) + " IS NULL");
        f.put("l_absent", "l." + dialect.quote(keys.get(0)) + " IS NULL");
        f.put("set_c_from_a", list(target, c -> "c." + dialect.quote(c) + " = a." + dialect.quote(c)));
        f.put("set_h_from_a", list(target, c -> "h." + dialect.quote(c) + " = a." + dialect.quote(c)));
        Map<String, Sql> pieces = new HashMap<>(Sql.texts(f));
        // A change is a delete only where delete_when is TRUE: NULL (unknown) is an upsert.
        // A truncate (rule 2.4) is a truncate only where apply_as_truncates is TRUE; it is never also a delete.
        pieces.put("is_truncate", spec.truncateWhen()
                .map(p -> Sql.builder().text("coalesce(").sql(p.toSql(c -> "r." + dialect.quote(c))).text(", false)").build())
                .orElse(Sql.text("false")));
        // A truncate's row for one key: the key, and NULL for every value column.
        pieces.put("k_keys_and_nulls", Sql.text(list(target, c -> keys.contains(c) ? "k." + dialect.quote(c)
                : "CAST(NULL AS " + dialect.typeName(spec.typeOf(c)) + ") AS " + dialect.quote(c))));
        pieces.put("is_delete", spec.deleteWhen()
                .map(p -> Sql.builder().text("coalesce(").sql(p.toSql(c -> "r." + dialect.quote(c))).text(", false)").build())
                .orElse(Sql.text("false")));
        return pieces;
    }
}
