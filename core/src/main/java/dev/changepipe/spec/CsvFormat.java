package dev.changepipe.spec;

/**
 * How landed files are written. A field whose text equals {@code nullText} is NULL, whether it was
 * quoted or not: CSV writers disagree on quoting empty fields, so quoting must not change meaning.
 */
public record CsvFormat(boolean header, char delimiter, char quote, String nullText) {
    public static final CsvFormat DEFAULT = new CsvFormat(true, ',', '"', "");
}
