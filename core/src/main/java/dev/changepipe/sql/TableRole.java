package dev.changepipe.sql;

/** The tables of one pipeline that the SCD plans read and the engines write. */
public enum TableRole {
    RAW,
    REJECTS,
    CURRENT,
    HISTORY
}
