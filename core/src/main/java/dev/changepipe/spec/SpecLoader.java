package dev.changepipe.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.changepipe.spec.predicate.Predicate;
import dev.changepipe.spec.predicate.PredicateException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a pipeline spec and checks all of it before anything runs. Every field is declared once
 * here with its default; unknown fields are refused; all problems are reported together, each with
 * the path of its field, so a user fixes a spec in one pass.
 */
public final class SpecLoader {
    // A repeated key is an error, not "the last one wins": it would silently change a column's type.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** A file system URI such as {@code s3a://bucket/lake} or {@code hdfs://host/lake}, kept as written. */
    private static final Pattern URI_PATH = Pattern.compile("[a-z][a-z0-9+.-]*://.+");
    private static final List<String> TOP_LEVEL = List.of("name", "landing", "pattern", "engine", "columns", "keys",
            "sequence_by", "delete_when", "apply_as_truncates", "except_columns", "track_history_columns", "ignore_null_updates", "tables",
            "history_columns", "history_deletes", "csv", "schedule", "s3", "checks", "schema", "mode", "snapshot_file_time");
    private static final List<String> CHECK_FIELDS = List.of("name", "must", "on_fail");
    private static final List<String> S3_FIELDS = List.of("endpoint", "region", "path_style", "list_every");
    /** Names under which people put credentials into a config file; each is refused with a pointer to the AWS chain. */
    private static final List<String> CREDENTIAL_FIELDS = List.of("access_key", "access_key_id", "aws_access_key_id",
            "secret_key", "secret_access_key", "aws_secret_access_key", "secret", "session_token", "aws_session_token",
            "token", "password", "credentials", "profile");
    static final String CREDENTIALS_HINT = "changepipe takes credentials from the AWS provider chain only:"
            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment,"
            + " or a profile of ~/.aws/credentials chosen with AWS_PROFILE";
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final String source;
    private final Path baseDir;
    private final List<String> problems = new ArrayList<>();

    private SpecLoader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir.toAbsolutePath().normalize();
    }

    /** Loads a spec file; relative paths in it are resolved against the file's folder. */
    public static PipelineSpec load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (IOException e) {
            throw new SpecException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
        return parse(text, absolute.getParent(), file.toString());
    }

    /** Parses spec text; relative paths are resolved against {@code baseDir}. */
    public static PipelineSpec parse(String yaml, Path baseDir, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new SpecException(source, List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(source, List.of("the spec must be a YAML mapping of fields"));
        }
        SpecLoader loader = new SpecLoader(source, baseDir);
        PipelineSpec spec = loader.read((ObjectNode) root);
        if (!loader.problems.isEmpty()) {
            throw new SpecException(source, loader.problems);
        }
        return spec;
    }

    private PipelineSpec read(ObjectNode root) {
        checkKnownFields(root, "", TOP_LEVEL);
        String name = identifier(root, "name", null);
        Landing landing = landing(text(root, "landing", null), root.get("s3"));
        String pattern = text(root, "pattern", name == null ? "*.csv" : name + "_*.csv");
        if (pattern != null) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            } catch (RuntimeException e) {
                problem("pattern: '" + pattern + "' is not a valid glob: " + e.getMessage());
            }
        }
        EngineSpec engine = engine(root.get("engine"));
        Map<String, ColumnType> columns = columns(root.get("columns"));
        Set<String> declared = columns.keySet();
        List<String> keys = columnList(root, "keys", declared, true);
        if (root.has("keys") && keys.isEmpty() && !declared.isEmpty()
                && problems.stream().noneMatch(p -> p.startsWith("keys"))) {
            problem("keys: at least one key column is required");
        }
        Optional<String> sequenceBy = Optional.ofNullable(text(root, "sequence_by", null));
        // Without usable columns there is nothing to check a column name against; columns: says why.
        sequenceBy.filter(column -> !declared.isEmpty()).ifPresent(column -> {
            if (!declared.contains(column)) {
                problem("sequence_by: unknown column '" + column + "'; columns are: " + String.join(", ", declared));
            } else if (keys.contains(column)) {
                problem("sequence_by: '" + column + "' is a key column; the sequence must be a separate column");
            } else if (columns.get(column) == ColumnType.BOOLEAN || columns.get(column) == ColumnType.VARCHAR) {
                problem("sequence_by: '" + column + "' is a " + columns.get(column).specName()
                        + " column; use a numeric, date or timestamp column");
            }
        });
        Optional<Predicate> deleteWhen = predicate(root, "delete_when", declared);
        Optional<Predicate> truncateWhen = predicate(root, "apply_as_truncates", declared);
        List<String> except = columnList(root, "except_columns", declared, false);
        for (String column : except) {
            if (keys.contains(column)) {
                problem("except_columns: '" + column + "' is a key column and must stay in the target tables");
            }
        }
        List<String> valueColumns = new ArrayList<>();
        for (String column : declared) {
            if (!keys.contains(column) && !except.contains(column)) {
                valueColumns.add(column);
            }
        }
        List<String> tracked = valueColumns;
        if (root.has("track_history_columns")) {
            tracked = columnList(root, "track_history_columns", declared, true);
            for (String column : tracked) {
                if (keys.contains(column) || except.contains(column)) {
                    problem("track_history_columns: '" + column + "' is a key or an excepted column; only value columns ("
                            + String.join(", ", valueColumns) + ") can be tracked");
                }
            }
        }
        List<String> ignoreNulls = ignoreNullUpdates(root, declared, valueColumns, sequenceBy);
        TableNames tables = tables(root.get("tables"), name);
        HistoryColumns historyColumns = historyColumns(root.get("history_columns"), root.get("history_deletes"),
                declared, columns, sequenceBy);
        CsvFormat csv = csv(root.get("csv"));
        Schedule schedule = schedule(root.get("schedule"));
        List<QualityCheck> checks = checks(root.get("checks"), columns);
        SchemaPolicy schema = schema(root.get("schema"));
        FileMode mode = mode(root, deleteWhen, truncateWhen, ignoreNulls);
        Optional<SnapshotFileTime> snapshotFileTime = snapshotFileTime(root, mode, sequenceBy, columns);
        require(root, "name", "landing", "columns", "keys");
        if (!problems.isEmpty()) {
            return null;
        }
        return new PipelineSpec(name, landing, pattern, engine, columns, keys, sequenceBy, deleteWhen, truncateWhen, except,
                tracked, ignoreNulls, tables, historyColumns, csv, schedule, checks, schema, mode, snapshotFileTime, List.of());
    }

    /**
     * {@code snapshot_file_time: "customer_{yyyyMMddHHmmss}.csv"}: a snapshot's time read from its name into the
     * {@code sequence_by} column, which its header then lacks; only with snapshots, and a timestamp or date sequence.
     */
    private Optional<SnapshotFileTime> snapshotFileTime(JsonNode root, FileMode mode, Optional<String> sequenceBy,
            Map<String, ColumnType> columns) {
        String text = text(root, "snapshot_file_time", null);
        if (text == null) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder();
        Optional<SnapshotFileTime> parsed = SnapshotFileTime.parse(text, why);
        if (parsed.isEmpty()) {
            problem("snapshot_file_time: " + why);
        } else if (mode != FileMode.SNAPSHOT) {
            problem("snapshot_file_time: a snapshot's time in its file's name goes with mode: snapshot only");
        } else if (sequenceBy.isEmpty() || !columns.containsKey(sequenceBy.get())) {
            problem("snapshot_file_time: names where a snapshot's time is, but sequence_by names no column to hold it;"
                    + " declare one, such as snapshot_at: timestamp, and name it in sequence_by");
        } else if (columns.get(sequenceBy.get()) != ColumnType.TIMESTAMP && columns.get(sequenceBy.get()) != ColumnType.DATE) {
            problem("snapshot_file_time: sequence_by column '" + sequenceBy.get() + "' is " + columns.get(sequenceBy.get())
                    .specName() + "; a time read from a file's name is a timestamp or a date");
        }
        return parsed;
    }

    /**
     * {@code mode: changes | snapshot}, changes by default. A snapshot's deletes are the keys it lacks and its rows are
     * whole, so the options that make a row a delete, a truncate or a partial update do not go with it.
     */
    private FileMode mode(JsonNode root, Optional<Predicate> deleteWhen, Optional<Predicate> truncateWhen,
            List<String> ignoreNulls) {
        String word = text(root, "mode", FileMode.CHANGES.word());
        FileMode mode = word == null ? null : FileMode.of(word).orElse(null);
        if (word != null && mode == null) {
            problem("mode: '" + word + "' is not one of changes, snapshot");
        }
        if (mode == FileMode.SNAPSHOT) {
            String why = ": in a snapshot (mode: snapshot) a key is deleted by its absence from a later snapshot, and"
                    + " every row is a whole row; remove it";
            deleteWhen.ifPresent(p -> problem("delete_when" + why));
            truncateWhen.ifPresent(p -> problem("apply_as_truncates" + why));
            if (!ignoreNulls.isEmpty()) {
                problem("ignore_null_updates" + why);
            }
        }
        return mode;
    }

    /**
     * {@code ignore_null_updates}: {@code true} fills every value column but the sequence column (which
     * is never NULL, rule 1.4), {@code false} or absent none, a list exactly the value columns it names.
     */
    private List<String> ignoreNullUpdates(JsonNode root, Set<String> declared, List<String> valueColumns,
            Optional<String> sequenceBy) {
        JsonNode node = root.get("ignore_null_updates");
        if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean())) {
            return List.of();
        }
        if (node.isBoolean()) {
            return valueColumns.stream().filter(c -> sequenceBy.map(s -> !s.equals(c)).orElse(true)).toList();
        }
        if (!node.isArray() && !node.isTextual()) {
            problem("ignore_null_updates: must be true, false or a non-empty list of value columns");
            return List.of();
        }
        List<String> listed = columnList(root, "ignore_null_updates", declared, true);
        for (int i = 0; i < listed.size(); i++) {
            String column = listed.get(i);
            if (sequenceBy.map(column::equals).orElse(false)) {
                problem("ignore_null_updates: '" + column + "' is the sequence column, which is never NULL; only value"
                        + " columns (" + String.join(", ", valueColumns) + ") can keep their last value");
            } else if (!valueColumns.contains(column)) {
                problem("ignore_null_updates: '" + column + "' is a key or an excepted column; only value columns ("
                        + String.join(", ", valueColumns) + ") can keep their last value");
            }
        }
        return listed;
    }

    /**
     * {@code checks: [{name, must, on_fail}]}. {@code on_fail} has no default: each mode costs something (a
     * bad row in the tables, a row fewer, a file stopped), so the spec says which (docs/semantics.md §1.7).
     */
    private List<QualityCheck> checks(JsonNode node, Map<String, ColumnType> columns) {
        List<QualityCheck> checks = new ArrayList<>();
        if (node == null || node.isNull()) {
            return checks;
        }
        if (!node.isArray()) {
            problem("checks: must be a list of {name, must, on_fail}");
            return checks;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "checks[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                problem(path + ": must be a mapping {name, must, on_fail}");
                continue;
            }
            checkKnownFields(item, path + ".", CHECK_FIELDS);
            for (String field : CHECK_FIELDS) {
                if (!item.has(field) || item.get(field).isNull()) {
                    problem(path + "." + field + ": is required"
                            + (field.equals("on_fail") ? "; one of warn, drop, refuse" : ""));
                }
            }
            String name = identifier(item, path + ".name", "name", null);
            if (name != null && !names.add(name.toLowerCase(Locale.ROOT))) {
                problem(path + ".name: '" + name + "' names an earlier check too; check names must be unique");
            }
            Predicate must = checkCondition(item, path + ".must", columns);
            QualityCheck.OnFail onFail = null;
            String mode = text(item, path + ".on_fail", "on_fail", null);
            if (mode != null) {
                onFail = QualityCheck.OnFail.of(mode).orElse(null);
                if (onFail == null) {
                    problem(path + ".on_fail: '" + mode + "' is not one of warn, drop, refuse");
                }
            }
            if (name != null && must != null && onFail != null) {
                checks.add(new QualityCheck(name, must, onFail));
            }
        }
        return checks;
    }

    /**
     * {@code schema: {new_columns: rescue | add | fail, missing_columns: refuse | null}}; the defaults, rescue and refuse,
     * neither drop a value nor make one up (docs/semantics.md §1.8).
     */
    private SchemaPolicy schema(JsonNode node) {
        if (node == null || node.isNull()) {
            return SchemaPolicy.DEFAULT;
        }
        if (!node.isObject()) {
            problem("schema: must be a mapping such as {new_columns: rescue, missing_columns: refuse}");
            return null;
        }
        checkKnownFields(node, "schema.", List.of("new_columns", "missing_columns"));
        String added = text(node, "schema.new_columns", "new_columns", SchemaPolicy.DEFAULT.newColumns().word());
        SchemaPolicy.NewColumns newColumns = added == null ? null : SchemaPolicy.NewColumns.of(added).orElse(null);
        if (added != null && newColumns == null) {
            problem("schema.new_columns: '" + added + "' is not one of rescue, add, fail");
        }
        // Unquoted, YAML reads the word null as no value: here it can only mean the policy.
        String lacking = node.has("missing_columns") && node.get("missing_columns").isNull()
                ? SchemaPolicy.MissingColumns.NULL.word()
                : text(node, "schema.missing_columns", "missing_columns", SchemaPolicy.DEFAULT.missingColumns().word());
        SchemaPolicy.MissingColumns missingColumns =
                lacking == null ? null : SchemaPolicy.MissingColumns.of(lacking).orElse(null);
        if (lacking != null && missingColumns == null) {
            problem("schema.missing_columns: '" + lacking + "' is not one of refuse, null");
        }
        return newColumns == null || missingColumns == null ? null : new SchemaPolicy(newColumns, missingColumns);
    }

    /** A check's condition, parsed over the declared columns and tried on a value of each column's type. */
    private Predicate checkCondition(JsonNode item, String path, Map<String, ColumnType> columns) {
        String text = text(item, path, "must", null);
        if (text == null || columns.isEmpty()) {
            return null;
        }
        try {
            Predicate must = Predicate.parse(text, columns.keySet());
            // A literal the column's type cannot be compared with would fail on every row: refuse it at start.
            must.evaluate(column -> columns.get(column).sampleValue());
            return must;
        } catch (PredicateException e) {
            // The grammar's messages name delete_when, where it was first used.
            problem(path + ": " + e.getMessage().replaceFirst("^delete_when: ", ""));
            return null;
        }
    }

    /** A folder, or a bucket prefix with the settings of the {@code s3:} block (which only a bucket may have). */
    private Landing landing(String text, JsonNode s3) {
        if (text == null) {
            if (s3 != null) {
                s3(s3);
            }
            return null;
        }
        if (text.startsWith(S3Uri.SCHEME)) {
            S3Uri uri = null;
            try {
                uri = S3Uri.parse(text);
            } catch (IllegalArgumentException e) {
                problem("landing: " + e.getMessage());
            }
            S3Settings settings = s3 == null ? S3Settings.AWS : s3(s3);
            return uri == null || settings == null ? null : new Landing.Bucket(uri, settings);
        }
        if (text.contains("://")) {
            problem("landing: '" + text + "' is neither a local folder nor an s3:// address; other stores are not supported");
            return null;
        }
        if (s3 != null) {
            problem("s3: only applies to a landing zone in a bucket (landing: s3://bucket/prefix); landing '" + text
                    + "' is a local folder");
        }
        return new Landing.Folder(baseDir.resolve(text).normalize());
    }

    private S3Settings s3(JsonNode node) {
        if (!node.isObject()) {
            problem("s3: must be a mapping such as {endpoint: http://127.0.0.1:9000, region: us-east-1, path_style: true}");
            return null;
        }
        int before = problems.size();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (CREDENTIAL_FIELDS.contains(field.toLowerCase(Locale.ROOT))) {
                // The value is never read, so it cannot end up in a message.
                problem("s3." + field + ": credentials are not read from the spec; " + CREDENTIALS_HINT);
            } else if (!S3_FIELDS.contains(field)) {
                problem("s3." + field + ": unknown field; known fields are: " + String.join(", ", S3_FIELDS));
            }
        }
        Optional<URI> endpoint = Optional.ofNullable(text(node, "s3.endpoint", "endpoint", null)).flatMap(this::endpoint);
        Optional<String> region = Optional.ofNullable(text(node, "s3.region", "region", null));
        region.filter(r -> !REGION.matcher(r).matches())
                .ifPresent(r -> problem("s3.region: '" + r + "' is not a region name such as us-east-1"));
        boolean pathStyle = endpoint.isPresent();
        if (node.has("path_style")) {
            if (node.get("path_style").isBoolean()) {
                pathStyle = node.get("path_style").asBoolean();
            } else {
                problem("s3.path_style: must be true or false");
            }
        }
        Duration listEvery = duration(node, "s3.", "list_every", S3Settings.DEFAULT_LIST_EVERY);
        if (listEvery != null && listEvery.isZero()) {
            problem("s3.list_every: must be longer than zero");
        }
        if (problems.size() > before) {
            return null;
        }
        return new S3Settings(endpoint, region, pathStyle, listEvery);
    }

    private Optional<URI> endpoint(String text) {
        // Checked on the text first and never echoed: user info is a credential, and a host that is not a
        // valid server name (an underscore, say) leaves URI no user info to find.
        if (text.contains("@")) {
            problem("s3.endpoint: must not carry a user or password; " + CREDENTIALS_HINT);
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            problem("s3.endpoint: '" + text + "' is not a URL such as http://127.0.0.1:9000");
            return Optional.empty();
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            problem("s3.endpoint: '" + text + "' must be an http:// or https:// URL with a host, such as http://127.0.0.1:9000");
            return Optional.empty();
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problem("s3.endpoint: '" + text + "' must be the store's address alone (scheme, host, port), without a path;"
                    + " the bucket goes into landing: s3://bucket/prefix");
            return Optional.empty();
        }
        return Optional.of(uri);
    }

    private EngineSpec engine(JsonNode node) {
        if (node == null) {
            return new EngineSpec("duckdb", baseDir.resolve("warehouse"), Map.of());
        }
        if (!node.isObject()) {
            problem("engine: must be a mapping such as {type: duckdb, path: warehouse}");
            return null;
        }
        String type = text(node, "engine.type", "type", "duckdb");
        String path = text(node, "engine.path", "path", "warehouse");
        Map<String, Object> options = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("type") && !field.getKey().equals("path")) {
                options.put(field.getKey(), YAML.convertValue(field.getValue(), Object.class));
            }
        }
        if (type == null || path == null) {
            return null;
        }
        if (URI_PATH.matcher(path).matches()) {
            return new EngineSpec(type, null, path, options);
        }
        return new EngineSpec(type, baseDir.resolve(path).normalize(), options);
    }

    private Map<String, ColumnType> columns(JsonNode node) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        if (node == null) {
            return columns;
        }
        if (!node.isObject() || node.isEmpty()) {
            problem("columns: must be a non-empty mapping of column name to type, e.g. {id: bigint, name: varchar}");
            return columns;
        }
        Set<String> folded = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String column = field.getKey();
            String path = "columns." + column;
            Optional<String> bad = Identifier.problem(column);
            if (bad.isPresent()) {
                problem(path + ": " + bad.get());
                continue;
            }
            if (Identifier.RESERVED.contains(Identifier.fold(column))) {
                problem(path + ": '" + column + "' is reserved for changepipe's own columns");
                continue;
            }
            if (!folded.add(Identifier.fold(column))) {
                problem(path + ": declared twice (names are compared ignoring case)");
                continue;
            }
            if (!field.getValue().isTextual()) {
                problem(path + ": the type must be a name, one of: " + ColumnType.names());
                continue;
            }
            Optional<ColumnType> type = ColumnType.fromSpec(field.getValue().asText());
            if (type.isEmpty()) {
                problem(path + ": unknown type '" + field.getValue().asText() + "'; types are: " + ColumnType.names());
                continue;
            }
            columns.put(column, type.get());
        }
        return columns;
    }

    private List<String> columnList(JsonNode root, String field, Set<String> declared, boolean nonEmpty) {
        JsonNode node = root.get(field);
        List<String> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        if (node.isTextual()) {
            node = YAML.createArrayNode().add(node.asText());
        }
        if (!node.isArray() || (nonEmpty && node.isEmpty())) {
            problem(field + ": must be a " + (nonEmpty ? "non-empty " : "") + "list of column names");
            return result;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = field + "[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                problem(path + ": must be a column name");
                continue;
            }
            String column = item.asText();
            if (!declared.contains(column)) {
                if (!declared.isEmpty()) {
                    problem(path + ": unknown column '" + column + "'; columns are: " + String.join(", ", declared));
                }
                continue;
            }
            if (result.contains(column)) {
                problem(path + ": '" + column + "' is listed twice");
                continue;
            }
            result.add(column);
        }
        return result;
    }

    private TableNames tables(JsonNode node, String name) {
        String base = name == null ? "pipeline" : name;
        if (node != null && !node.isObject()) {
            problem("tables: must be a mapping {raw: ..., current: ..., history: ...}");
            return null;
        }
        JsonNode tables = node == null ? YAML.createObjectNode() : node;
        checkKnownFields(tables, "tables.", List.of("raw", "current", "history"));
        String raw = identifier(tables, "tables.raw", "raw", base + "_raw");
        String current = identifier(tables, "tables.current", "current", base);
        String history = identifier(tables, "tables.history", "history", base + "_history");
        if (raw == null || current == null || history == null) {
            return null;
        }
        TableNames names = new TableNames(raw, current, history);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("tables.raw", raw);
        all.put("tables.current", current);
        all.put("tables.history", history);
        all.put("tables.raw (its rejects table)", names.rejects());
        all.put("tables.current (its change feed table)", names.changes());
        Map<String, String> seen = new LinkedHashMap<>();
        all.forEach((path, table) -> {
            Identifier.problem(table).ifPresent(p -> problem(path + ": " + p));
            String other = seen.putIfAbsent(Identifier.fold(table), path);
            if (other != null) {
                problem(path + ": '" + table + "' is also the name of " + other);
            }
        });
        return names;
    }

    /** A condition in the {@code delete_when} grammar over the declared columns; the grammar's messages name the field. */
    private Optional<Predicate> predicate(JsonNode root, String field, Set<String> declared) {
        String text = text(root, field, null);
        if (text == null || declared.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Predicate.parse(text, declared));
        } catch (PredicateException e) {
            problem(field + ": " + e.getMessage().replaceFirst("^delete_when: ", ""));
            return Optional.empty();
        }
    }

    private HistoryColumns historyColumns(JsonNode node, JsonNode deletes, Set<String> declared,
            Map<String, ColumnType> types, Optional<String> sequenceBy) {
        if (node != null && !node.isObject()) {
            problem("history_columns: must be a mapping {start: ..., end: ..., current: ..., deleted: ..., open_end: ...}");
            return null;
        }
        JsonNode columns = node == null ? YAML.createObjectNode() : node;
        checkKnownFields(columns, "history_columns.", List.of("start", "end", "current", "deleted", "open_end"));
        HistoryColumns d = HistoryColumns.DEFAULT;
        String start = identifier(columns, "history_columns.start", "start", d.start());
        String end = identifier(columns, "history_columns.end", "end", d.end());
        String current = identifier(columns, "history_columns.current", "current", d.current());
        boolean deleteRows = deleteRows(deletes);
        if (!deleteRows && columns.has("deleted")) {
            problem("history_columns.deleted: names the delete flag of history_deletes: row, which this spec does not set");
        }
        String deleted = deleteRows
                ? identifier(columns, "history_columns.deleted", "deleted", HistoryColumns.DEFAULT_DELETED) : null;
        Set<String> used = new HashSet<>();
        declared.forEach(c -> used.add(Identifier.fold(c)));
        for (String[] pair : new String[][] {{"start", start}, {"end", end}, {"current", current}, {"deleted", deleted}}) {
            if (pair[1] != null && !used.add(Identifier.fold(pair[1]))) {
                problem("history_columns." + pair[0] + ": '" + pair[1] + "' is already the name of another column");
            }
        }
        return new HistoryColumns(start, end, current, openEnd(columns.get("open_end"), types, sequenceBy),
                Optional.ofNullable(deleted));
    }

    /**
     * {@code history_deletes}: {@code close} (the default) ends the open version at a delete; {@code row} also writes
     * a version for the delete itself, flagged, as dbt's {@code hard_deletes: new_record} does.
     */
    private boolean deleteRows(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (!node.isTextual()) {
            problem("history_deletes: must be one of close, row");
            return false;
        }
        String mode = node.asText();
        if (!mode.equals("close") && !mode.equals("row")) {
            problem("history_deletes: '" + mode + "' is not one of close, row");
        }
        return mode.equals("row");
    }

    /**
     * {@code history_columns.open_end}: a value of the sequence column's type, read as a file's field would be. Without
     * {@code sequence_by} the sequence is the ingestion time, which the clock gives and no reject can hold back.
     */
    private Optional<Object> openEnd(JsonNode node, Map<String, ColumnType> types, Optional<String> sequenceBy) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (sequenceBy.isEmpty()) {
            problem("history_columns.open_end: needs sequence_by; without it a version ends at an ingestion time, "
                    + "which no value can be kept below");
            return Optional.empty();
        }
        ColumnType type = types.get(sequenceBy.get());
        if (type == null || !node.isValueNode()) {
            if (type != null) {
                problem("history_columns.open_end: must be one value of the sequence column's type");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(type.parse(node.asText()));
        } catch (RuntimeException e) {
            problem("history_columns.open_end: cannot read '" + node.asText() + "' as " + type.specName()
                    + ", the type of the sequence column '" + sequenceBy.get() + "'");
            return Optional.empty();
        }
    }

    private CsvFormat csv(JsonNode node) {
        if (node == null) {
            return CsvFormat.DEFAULT;
        }
        if (!node.isObject()) {
            problem("csv: must be a mapping {header: true, delimiter: \",\", quote: \"\\\"\", null: \"\"}");
            return CsvFormat.DEFAULT;
        }
        checkKnownFields(node, "csv.", List.of("header", "delimiter", "quote", "null"));
        boolean header = CsvFormat.DEFAULT.header();
        if (node.has("header")) {
            if (node.get("header").isBoolean()) {
                header = node.get("header").asBoolean();
            } else {
                problem("csv.header: must be true or false");
            }
        }
        Character delimiter = singleChar(node, "delimiter", CsvFormat.DEFAULT.delimiter());
        Character quote = singleChar(node, "quote", CsvFormat.DEFAULT.quote());
        String nullText = text(node, "csv.null", "null", CsvFormat.DEFAULT.nullText());
        if (node.has("null") && node.get("null").isNull()) {
            problem("csv.null: YAML reads an unquoted null, NULL, ~ or an empty value as no value;"
                    + " write the null text in quotes, e.g. null: \"NULL\" or null: \"\"");
        }
        if (delimiter != null && quote != null && delimiter.equals(quote)) {
            problem("csv.quote: must differ from csv.delimiter");
        }
        if (delimiter == null || quote == null || nullText == null) {
            return CsvFormat.DEFAULT;
        }
        return new CsvFormat(header, delimiter, quote, nullText);
    }

    private Character singleChar(JsonNode node, String field, char fallback) {
        String value = text(node, "csv." + field, field, String.valueOf(fallback));
        if (value == null) {
            return null;
        }
        if (value.length() != 1 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            problem("csv." + field + ": must be exactly one character other than a line break, got '" + value + "'");
            return null;
        }
        return value.charAt(0);
    }

    private Schedule schedule(JsonNode node) {
        if (node == null) {
            return Schedule.DEFAULT;
        }
        if (!node.isObject()) {
            problem("schedule: must be a mapping such as {every: 1m}");
            return Schedule.DEFAULT;
        }
        checkKnownFields(node, "schedule.", List.of("every", "settle"));
        Duration every = duration(node, "every", Schedule.DEFAULT.every());
        Duration settle = duration(node, "settle", Schedule.DEFAULT.settle());
        if (every != null && every.isZero()) {
            problem("schedule.every: must be longer than zero");
        }
        return new Schedule(every == null ? Schedule.DEFAULT.every() : every,
                settle == null ? Schedule.DEFAULT.settle() : settle);
    }

    private Duration duration(JsonNode node, String field, Duration fallback) {
        return duration(node, "schedule.", field, fallback);
    }

    private Duration duration(JsonNode node, String prefix, String field, Duration fallback) {
        String value = text(node, prefix + field, field, null);
        if (value == null) {
            return node.has(field) ? null : fallback;
        }
        try {
            Duration parsed = Durations.parse(value);
            if (parsed.isNegative()) {
                problem(prefix + field + ": must not be negative");
                return null;
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            problem(prefix + field + ": " + e.getMessage());
            return null;
        }
    }

    private void require(JsonNode root, String... fields) {
        for (String field : fields) {
            if (!root.has(field) || root.get(field).isNull()) {
                problem(field + ": is required");
            }
        }
    }

    private void checkKnownFields(JsonNode node, String prefix, List<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!known.contains(field)) {
                problem(prefix + field + ": unknown field; known fields are: " + String.join(", ", known));
            }
        }
    }

    private String identifier(JsonNode node, String field, String fallback) {
        return identifier(node, field, field, fallback);
    }

    private String identifier(JsonNode node, String path, String field, String fallback) {
        String value = text(node, path, field, fallback);
        if (value == null) {
            return null;
        }
        Optional<String> bad = Identifier.problem(value);
        if (bad.isPresent()) {
            problem(path + ": " + bad.get());
            return null;
        }
        return value;
    }

    private String text(JsonNode node, String field, String fallback) {
        return text(node, field, field, fallback);
    }

    private String text(JsonNode node, String path, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode() || value.isBinary()) {
            problem(path + ": must be a single value");
            return null;
        }
        return value.asText();
    }

    private void problem(String message) {
        problems.add(message);
    }

    @Override
    public String toString() {
        return "SpecLoader[" + source + "]";
    }
}
