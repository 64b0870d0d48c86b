package dev.changepipe.scd;

import dev.changepipe.sql.Sql;
import java.util.List;

/**
 * What one SCD task does to its table, as relations built from the spec: each step reads the raw
 * table, the target table or earlier steps by name, and the last step is the action relation, one
 * row per row of the target table to change, with its {@code _action}:
 * {@code 'insert'}, {@code 'update'} (replace the row of the same key, or key and start) or
 * {@code 'delete'}. The plan reads the parameters {@code :from_file} and {@code :to_file}, the raw
 * file ids after the task's offset up to the last one loaded.
 *
 * <p>An engine applies the action relation and commits it with its offset. It may make each step a
 * table of its own (DuckDB's temporary tables) or run {@link #asQuery()} in one statement (a Delta
 * MERGE's source); the steps are the same either way.
 */
public record ScdPlan(List<Relation> steps) {

    public ScdPlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one step");
        }
    }

    /** The last step: the rows to insert, update or delete. */
    public Relation actions() {
        return steps.get(steps.size() - 1);
    }

    /** The whole plan as one query whose rows are the action relation's: the steps as common table expressions. */
    public Sql asQuery() {
        Sql.Builder out = Sql.builder().text("WITH ");
        for (int i = 0; i < steps.size(); i++) {
            Relation step = steps.get(i);
            out.text((i > 0 ? ",\n" : "") + step.name() + " AS (\n").sql(step.query()).text("\n)");
        }
        return out.text("\nSELECT * FROM " + actions().name()).build();
    }
}
