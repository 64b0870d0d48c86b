package dev.changepipe.conformance;

/**
 * The small pipeline most fixtures use: people with a name and a city, keyed by id, each change
 * marked {@code U} (upsert) or {@code D} (delete) in {@code op} and ordered by {@code seq}. Both
 * {@code op} and {@code seq} stay in the raw table only, so the value columns are name and city.
 */
final class People {
    private People() {}

    static final String HEADER = "id,name,city,op,seq";

    static final String SPEC = """
            name: people
            columns: {id: bigint, name: varchar, city: varchar, op: varchar, seq: bigint}
            keys: [id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op, seq]
            """;

    /** As {@link #SPEC}, but only a change of city opens a new history version; a new name is updated in place. */
    static final String SPEC_TRACKING_CITY = SPEC + "track_history_columns: [city]\n";

    /** As {@link #SPEC}, with partial updates: an upsert's NULL keeps the last value (rule 2.3). */
    static final String SPEC_IGNORING_NULLS = SPEC + "ignore_null_updates: true\n";

    /** No sequence column: changes are ordered by arrival, and history start and end are ingestion times. */
    static final String SPEC_WITHOUT_SEQUENCE = """
            name: people
            columns: {id: bigint, name: varchar, city: varchar, op: varchar}
            keys: [id]
            delete_when: "op = 'D'"
            except_columns: [op]
            """;

    static final String HEADER_WITHOUT_SEQUENCE = "id,name,city,op";
}
