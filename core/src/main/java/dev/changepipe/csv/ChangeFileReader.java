package dev.changepipe.csv;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.CsvFormat;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.QualityCheck;
import dev.changepipe.spec.SchemaPolicy;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a landed CSV file into typed rows and rejected rows, the same way for every engine, so that
 * every engine accepts and rejects exactly the same rows for the same reasons.
 *
 * <p>A row is rejected when its field count differs from the header's, a field does not parse as its
 * column's type, it holds bytes that are not UTF-8, a key (unless the row is a truncate) or the {@code sequence_by}
 * column is NULL, or the sequence is not before {@code history_columns.open_end}.
 * The file is refused whole when it is empty or its header names a column twice; what a header that lacks a spec
 * column or has one the spec does not declare does is the spec's {@code schema} policy (docs/semantics.md §1.8):
 * by default the first is refused and the second's values are rescued, per row, as JSON text.
 *
 * <p>A row that typed is then held to the spec's quality checks, here and only here, so that every engine
 * drops, warns about and refuses the same rows (docs/semantics.md §1.7).
 */
public final class ChangeFileReader {
    static final int MAX_RAW_TEXT = 10_000;
    private static final char REPLACEMENT = '\uFFFD';
    /** FastCSV names the line of a record it cannot parse in its message. */
    private static final Pattern RECORD_START = Pattern.compile("\\(?record starting at line (\\d+)\\)?", Pattern.CASE_INSENSITIVE);

    private final PipelineSpec spec;
    private final String[] columnNames;
    private final ColumnType[] types;
    private final boolean[] required;
    /** Per spec column, whether a header must name it whatever the schema policy says. */
    private final boolean[] inEveryHeader;
    private final List<QualityCheck> checks;
    /** The index of each spec column in a row's values, by name, for the checks' conditions. */
    private final Map<String, Integer> columnIndex = new HashMap<>();
    /** Per check, the column a reject names: the condition's column when it reads one, else none. */
    private final String[] checkColumn;
    /** The sequence column's index, when {@code history_columns.open_end} bounds it (rule 5.6), else -1. */
    private final int boundedSequence;
    private final Comparable<Object> openEnd;
    /** The sequence column's index when each file is a snapshot, whose rows must all have one time (rule 7.1), else -1. */
    private final int snapshotSequence;
    /** The sequence column's index when a snapshot's name carries its time (snapshot_file_time, rule 7.1), else -1. */
    private final int fileTimeColumn;

    public ChangeFileReader(PipelineSpec spec) {
        this.spec = spec;
        this.columnNames = spec.columns().keySet().toArray(String[]::new);
        this.types = spec.columns().values().toArray(ColumnType[]::new);
        this.required = new boolean[columnNames.length];
        this.inEveryHeader = new boolean[columnNames.length];
        for (int i = 0; i < columnNames.length; i++) {
            String column = columnNames[i];
            required[i] = spec.keys().contains(column) || spec.sequenceBy().map(column::equals).orElse(false);
            // A column a file added (rule 1.10) is never required: the files before it lacked it too.
            inEveryHeader[i] = !spec.addedColumns().contains(column)
                    && (spec.schema().missingColumns() == SchemaPolicy.MissingColumns.REFUSE
                            || spec.requiredColumns().contains(column));
            columnIndex.put(column, i);
        }
        this.checks = spec.checks();
        this.checkColumn = new String[checks.size()];
        for (int c = 0; c < checks.size(); c++) {
            Set<String> read = checks.get(c).must().columns();
            checkColumn[c] = read.size() == 1 ? read.iterator().next() : null;
        }
        this.openEnd = spec.historyColumns().openEnd().map(ChangeFileReader::comparable).orElse(null);
        this.boundedSequence = openEnd == null ? -1 : columnIndex.get(spec.sequenceBy().orElseThrow());
        this.snapshotSequence = spec.snapshots() ? spec.sequenceBy().map(columnIndex::get).orElse(-1) : -1;
        this.fileTimeColumn = spec.snapshotFileTime().isPresent() ? snapshotSequence : -1;
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(Object value) {
        // Every type a sequence column may have (numbers, dates, timestamps) parses to a Comparable of itself.
        return (Comparable<Object>) value;
    }

    /**
     * @throws HeaderAddsColumnsException under {@code schema.new_columns: add}, when the header has columns the tables
     *     lack: nothing was handed to {@code sink}
     */
    public ReadSummary read(Path file, String name, RowSink sink)
            throws IOException, FileRefusedException, HeaderAddsColumnsException {
        if (Files.size(file) == 0) {
            throw new FileRefusedException("the file is empty" + (spec.csv().header() ? " (no header row)" : ""));
        }
        DigestInputStream bytes = new DigestInputStream(Files.newInputStream(file), sha256());
        try (bytes; ResumableReader reader = new ResumableReader(open(bytes, name))) {
            ReadSummary summary = new Pass(reader, sink, fileTime(name)).run();
            // Bytes after a malformed record were not parsed; they still count for the hash.
            bytes.transferTo(OutputStream.nullOutputStream());
            return new ReadSummary(summary.rowsAccepted(), summary.rowsRejected(), summary.firstError(),
                    HexFormat.of().formatHex(bytes.getMessageDigest().digest()), summary.checks(), summary.drift());
        } catch (ZipException | EOFException e) {
            // Only a gzip stream throws these: the file is not gzip, or it is cut short.
            if (name.endsWith(".gz")) {
                throw new FileRefusedException("not a readable gzip file: " + e.getMessage());
            }
            throw e;
        }
    }

    /** The time a snapshot's name carries when the spec reads it there (rule 7.1), else null. */
    private Object fileTime(String name) throws FileRefusedException {
        if (fileTimeColumn < 0) {
            return null;
        }
        return spec.snapshotFileTime().orElseThrow().timeOf(name, types[fileTimeColumn]).orElseThrow(() ->
                new FileRefusedException("the name '" + name + "' carries no snapshot time as snapshot_file_time '"
                        + spec.snapshotFileTime().orElseThrow() + "' says"));
    }

    private CsvReader<CsvRecord> parser(Reader reader) {
        return CsvReader.builder()
                .fieldSeparator(spec.csv().delimiter())
                .quoteCharacter(spec.csv().quote())
                .commentStrategy(CommentStrategy.NONE)
                .skipEmptyLines(true)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(reader);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reader open(InputStream file, String name) throws IOException {
        InputStream in = new BufferedInputStream(file, 1 << 16);
        if (name.endsWith(".gz")) {
            // GZIPInputStream cannot mark/reset, which skipByteOrderMark needs.
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        in = skipByteOrderMark(in);
        // Invalid bytes become U+FFFD so that one bad row is rejected instead of the whole file.
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    private static InputStream skipByteOrderMark(InputStream in) throws IOException {
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
        return in;
    }

    /** One read of one file: the header mapping and the counters. */
    private final class Pass {
        private final ResumableReader reader;
        private final RowSink sink;
        /** The spec's columns, then the rescued values' JSON text (null when there are none). */
        private final Object[] values = new Object[columnNames.length + 1];
        private final RescuedValues rescued = new RescuedValues();
        private HeaderDrift drift = HeaderDrift.NONE;
        private Iterator<CsvRecord> records;
        /** The line before the first line the current parser reads: it starts again after a broken record. */
        private long lineOffset;
        private int[] positions;
        private int fieldCount;
        private long accepted;
        private long rejected;
        private String firstError;
        /** Rows that failed each check and were loaded (warn) or rejected (drop) because of it. */
        private final long[] failed = new long[checks.size()];
        private final Function<String, Object> row = column -> values[columnIndex.get(column)];
        /** A snapshot's time and the line that set it (rule 7.1). */
        private Object snapshotTime;
        private long snapshotTimeLine;

        /** What the sequence column holds in every row when the file's name carries the snapshot's time, else null. */
        private final Object fileTime;

        Pass(ResumableReader reader, RowSink sink, Object fileTime) {
            this.reader = reader;
            this.sink = sink;
            this.fileTime = fileTime;
            // Not closed: closing it would close the reader, which the next parser reads on after a broken record.
            this.records = parser(reader).iterator();
        }

        ReadSummary run() throws IOException, FileRefusedException, HeaderAddsColumnsException {
            try {
                if (spec.csv().header()) {
                    CsvRecord header;
                    try {
                        if (!records.hasNext()) {
                            throw new FileRefusedException("the file has no header row");
                        }
                        header = records.next();
                    } catch (CsvParseException e) {
                        throw new FileRefusedException("the header is not valid CSV: " + rootMessage(e));
                    }
                    reader.release(header.getStartingLineNumber());
                    mapHeader(header);
                } else {
                    positions = new int[columnNames.length];
                    Arrays.setAll(positions, i -> i);
                    fieldCount = columnNames.length;
                }
                long lastLine = 1;
                while (true) {
                    CsvRecord record;
                    try {
                        if (!records.hasNext()) {
                            break;
                        }
                        record = records.next();
                    } catch (CsvParseException e) {
                        String reason = rootMessage(e);
                        Matcher start = RECORD_START.matcher(String.valueOf(reason));
                        if (!start.find()) {
                            // No line to go on after: the rest of the file is one reject.
                            reject(new RejectedRow(lastLine + 1, null, "malformed CSV: " + reason, ""));
                            break;
                        }
                        // The record is rejected; reading goes on at the next line with a new parser.
                        long line = lineOffset + Long.parseLong(start.group(1));
                        String text = reader.resumeAfter(line);
                        reject(new RejectedRow(line, null, "malformed CSV: " + start.replaceFirst("").strip(),
                                text.length() > MAX_RAW_TEXT ? text.substring(0, MAX_RAW_TEXT) + "…" : text));
                        lineOffset = line;
                        lastLine = line;
                        records = parser(reader).iterator();
                        continue;
                    }
                    lastLine = lineOffset + record.getStartingLineNumber();
                    reader.release(lastLine);
                    accept(record, lastLine);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (FileRefusedException | HeaderAddsColumnsException | IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            if (spec.snapshots() && accepted == 0) {
                throw new FileRefusedException("the snapshot has no rows: a snapshot without rows is never taken as every"
                        + " key gone (mode: snapshot)");
            }
            return new ReadSummary(accepted, rejected, firstError, null, checkCounts(), drift);
        }

        private CheckCounts checkCounts() {
            List<CheckCounts.Count> counts = new ArrayList<>();
            for (int c = 0; c < checks.size(); c++) {
                if (failed[c] > 0) {
                    counts.add(new CheckCounts.Count(checks.get(c).name(), checks.get(c).onFail(), failed[c]));
                }
            }
            return new CheckCounts(counts);
        }

        /**
         * Holds a typed row to the checks, in spec order: a failed refuse check refuses the file; else the first
         * failed drop check rejects the row under its name; else the row loads and each failed warn check counts it.
         * Only FALSE fails: UNKNOWN (a NULL in the condition) passes, as SQL CHECK does.
         */
        private boolean passesChecks(CsvRecord record, long line) throws Exception {
            int drop = -1;
            boolean anyWarn = false;
            boolean[] warned = null;
            for (int c = 0; c < checks.size(); c++) {
                QualityCheck check = checks.get(c);
                if (!Boolean.FALSE.equals(check.must().evaluate(row))) {
                    continue;
                }
                switch (check.onFail()) {
                    case REFUSE -> throw new FileRefusedException("line " + line + ": check '" + check.name()
                            + "' failed (checks[" + c + "].must: " + check.must() + ") and its on_fail is refuse",
                            CheckCounts.refusedBy(check));
                    case DROP -> drop = drop < 0 ? c : drop;
                    case WARN -> {
                        warned = warned == null ? new boolean[checks.size()] : warned;
                        warned[c] = true;
                        anyWarn = true;
                    }
                }
            }
            if (drop >= 0) {
                failed[drop]++;
                reject(new RejectedRow(line, checkColumn[drop], checks.get(drop).rejectReason(), rawText(record)));
                return false;
            }
            if (anyWarn) {
                for (int c = 0; c < warned.length; c++) {
                    failed[c] += warned[c] ? 1 : 0;
                }
            }
            return true;
        }

        /**
         * Finds each spec column in the header (ignoring case and surrounding spaces) and applies the schema policy
         * to the rest: a missing column is refused or read as NULL, a column the spec lacks is refused or rescued.
         */
        private void mapHeader(CsvRecord header) throws FileRefusedException, HeaderAddsColumnsException {
            List<String> names = new ArrayList<>();
            for (String field : header.getFields()) {
                names.add(field.strip());
            }
            fieldCount = names.size();
            Map<String, String> firstSpelling = new HashMap<>();
            for (String name : names) {
                // An unnamed column (a trailing delimiter) is told apart by its position instead.
                String first = name.isEmpty() ? null : firstSpelling.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                if (first != null) {
                    int column = indexIgnoringCase(Arrays.asList(columnNames), name);
                    throw new FileRefusedException("line 1: the header names column '"
                            + (column >= 0 ? columnNames[column] : first) + "' twice");
                }
            }
            positions = new int[columnNames.length];
            List<String> missing = new ArrayList<>();
            List<String> loadedAsNull = new ArrayList<>();
            boolean[] mapped = new boolean[names.size()];
            boolean[] mappedToAdded = new boolean[names.size()];
            for (int i = 0; i < columnNames.length; i++) {
                int position = indexIgnoringCase(names, columnNames[i]);
                positions[i] = position;
                boolean addedColumn = spec.addedColumns().contains(columnNames[i]);
                if (i == fileTimeColumn) {
                    if (position >= 0) {
                        throw new FileRefusedException("line 1: the header has column '" + columnNames[i] + "', which"
                                + " snapshot_file_time fills from the file's name");
                    }
                } else if (position >= 0) {
                    mapped[position] = true;
                    mappedToAdded[position] = addedColumn;
                } else if (inEveryHeader[i]) {
                    missing.add(columnNames[i]);
                } else if (!addedColumn) {
                    // Only a declared column counts as missing: whether a column a file added was there yet is not the
                    // file's to say, and the ledger must not depend on the order files came in.
                    loadedAsNull.add(columnNames[i]);
                }
            }
            if (!missing.isEmpty()) {
                throw new FileRefusedException("line 1: the header has no column " + quoteAll(missing)
                        + "; it has: " + String.join(", ", names)
                        + (spec.schema().missingColumns() == SchemaPolicy.MissingColumns.NULL
                                ? " (keys, sequence_by and the columns delete_when, apply_as_truncates and checks read"
                                        + " are required whatever schema.missing_columns says)" : ""));
            }
            // An unnamed column is a trailing delimiter more often than data: its values are rescued, but it is not
            // a new column to report or to fail on.
            // A column the spec does not declare is new in every file that has it, added to the tables or not yet.
            List<String> added = new ArrayList<>();
            List<String> undeclared = new ArrayList<>();
            for (int p = 0; p < names.size(); p++) {
                String name = names.get(p);
                if (!mapped[p]) {
                    rescued.add(p, name.isEmpty() ? RescuedValues.unnamed(p) : name);
                    if (!name.isEmpty()) {
                        added.add(name);
                        undeclared.add(name);
                    }
                } else if (mappedToAdded[p]) {
                    undeclared.add(name);
                }
            }
            if (!added.isEmpty() && spec.schema().newColumns() == SchemaPolicy.NewColumns.FAIL) {
                throw new FileRefusedException("line 1: the header has column " + quoteAll(added)
                        + ", which the spec does not declare, and schema.new_columns is fail");
            }
            if (!added.isEmpty() && spec.schema().newColumns() == SchemaPolicy.NewColumns.ADD) {
                for (String column : added) {
                    String problem = spec.cannotAdd(column).orElse(null);
                    if (problem != null) {
                        throw new FileRefusedException("line 1: column '" + column + "' cannot be added to the tables ("
                                + "schema.new_columns is add): " + problem);
                    }
                }
                throw new HeaderAddsColumnsException(added);
            }
            drift = new HeaderDrift(undeclared, loadedAsNull);
        }

        private void accept(CsvRecord record, long line) throws Exception {
            if (record.getFieldCount() != fieldCount) {
                reject(new RejectedRow(line, null, "expected " + fieldCount + " fields, found " + record.getFieldCount(),
                        rawText(record)));
                return;
            }
            // A truncate row needs no key (rule 2.4), which only the whole row can tell: the first NULL key waits for it.
            String nullKey = null;
            for (int i = 0; i < columnNames.length; i++) {
                if (positions[i] < 0) {
                    values[i] = i == fileTimeColumn ? fileTime : null;
                    continue;
                }
                String text = record.getField(positions[i]);
                if (text.equals(spec.csv().nullText())) {
                    boolean key = spec.keys().contains(columnNames[i]);
                    if (required[i] && !(key && spec.truncateWhen().isPresent())) {
                        reject(new RejectedRow(line, columnNames[i], (key ? "key" : "sequence_by") + " column is NULL",
                                rawText(record)));
                        return;
                    }
                    nullKey = required[i] && nullKey == null ? columnNames[i] : nullKey;
                    values[i] = null;
                    continue;
                }
                if (text.indexOf(REPLACEMENT) >= 0) {
                    reject(new RejectedRow(line, columnNames[i], "not valid UTF-8", rawText(record)));
                    return;
                }
                try {
                    values[i] = types[i].parse(text);
                } catch (RuntimeException e) {
                    reject(new RejectedRow(line, columnNames[i], "cannot read '" + ChangepipeException.abbreviated(text)
                            + "' as " + types[i].specName(), rawText(record)));
                    return;
                }
            }
            String invalid = rescued.isEmpty() ? null : rescued.firstInvalid(record);
            if (invalid != null) {
                reject(new RejectedRow(line, invalid, "not valid UTF-8", rawText(record)));
                return;
            }
            if (nullKey != null && !Boolean.TRUE.equals(spec.truncateWhen().orElseThrow().evaluate(row))) {
                reject(new RejectedRow(line, nullKey, "key column is NULL", rawText(record)));
                return;
            }
            if (boundedSequence >= 0 && openEnd.compareTo(values[boundedSequence]) <= 0) {
                reject(new RejectedRow(line, columnNames[boundedSequence], "sequence_by value is not before "
                        + "history_columns.open_end (" + openEnd + ")", rawText(record)));
                return;
            }
            if (!checks.isEmpty() && !passesChecks(record, line)) {
                return;
            }
            values[columnNames.length] = rescued.isEmpty() ? null : rescued.json(record, spec.csv().nullText());
            if (snapshotSequence >= 0) {
                sameSnapshotTime(line);
            }
            accepted++;
            sink.accept(line, values);
        }

        /** Rule 7.1: a snapshot is the table at one time, so every row of it has the first row's sequence value. */
        private void sameSnapshotTime(long line) throws FileRefusedException {
            Object time = values[snapshotSequence];
            if (snapshotTime == null) {
                snapshotTime = time;
                snapshotTimeLine = line;
            } else if (!snapshotTime.equals(time)) {
                throw new FileRefusedException("line " + line + ": " + columnNames[snapshotSequence] + " is " + time
                        + " but line " + snapshotTimeLine + " has " + snapshotTime + ": a snapshot is the table at one"
                        + " time (mode: snapshot, sequence_by " + columnNames[snapshotSequence] + ")");
            }
        }

        private void reject(RejectedRow row) throws Exception {
            if (spec.snapshots()) {
                // Rule 7.5, for now: a row that cannot be loaded refuses its snapshot, so it never deletes its key.
                throw new FileRefusedException("line " + row.line() + (row.column() == null ? "" : ": " + row.column())
                        + ": " + row.reason() + "; a snapshot with a row that cannot be loaded is refused whole, so that"
                        + " the row's key is not taken as gone (mode: snapshot)");
            }
            rejected++;
            if (firstError == null) {
                firstError = "line " + row.line() + (row.column() == null ? "" : ": " + row.column()) + ": " + row.reason();
            }
            sink.reject(row);
        }

        private String rawText(CsvRecord record) {
            CsvFormat csv = spec.csv();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < record.getFieldCount() && out.length() <= MAX_RAW_TEXT; i++) {
                if (i > 0) {
                    out.append(csv.delimiter());
                }
                String field = record.getField(i);
                boolean quote = field.indexOf(csv.delimiter()) >= 0 || field.indexOf(csv.quote()) >= 0
                        || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0;
                if (quote) {
                    String q = String.valueOf(csv.quote());
                    out.append(q).append(field.replace(q, q + q)).append(q);
                } else {
                    out.append(field);
                }
            }
            return out.length() > MAX_RAW_TEXT ? out.substring(0, MAX_RAW_TEXT) + "…" : out.toString();
        }
    }

    private static int indexIgnoringCase(List<String> names, String column) {
        int exact = names.indexOf(column);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private static String quoteAll(List<String> names) {
        return "'" + String.join("', '", names) + "'";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
