package dev.changepipe.scd;

import dev.changepipe.sql.Sql;

/** A named step of a plan: a query that later steps read by its name. */
public record Relation(String name, Sql query) {}
