package dev.changepipe.scd;

import static dev.changepipe.sql.ColumnFragments.anyOrFalse;
import static dev.changepipe.sql.ColumnFragments.keysMatch;
import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.TableRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
            List.of("f", "s"), List.of("a", "c"), List.of("h", "a"));

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
        f.put("set_c_from_a", list(target, c -> "c." + dialect.quote(c) + " = a." + dialect.quote(c)));
        f.put("set_h_from_a", list(target, c -> "h." + dialect.quote(c) + " = a." + dialect.quote(c)));
        Map<String, Sql> pieces = new HashMap<>(Sql.texts(f));
        // A change is a delete only where delete_when is TRUE: NULL (unknown) is an upsert.
        pieces.put("is_delete", spec.deleteWhen()
                .map(p -> Sql.builder().text("coalesce(").sql(p.toSql(c -> "r." + dialect.quote(c))).text(", false)").build())
                .orElse(Sql.text("false")));
        return pieces;
    }
}
