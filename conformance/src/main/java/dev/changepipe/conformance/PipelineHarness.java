package dev.changepipe.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.TableColumns;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A real pipeline in a folder, driven the way {@code changepipe run --once} drives one: a spec file,
 * a landing folder watched by {@link LandingFolder}, the engine found by {@link Engines}, and
 * {@link PipelineRunner#runUntilIdle()}. Nothing is mocked.
 *
 * <p>Layout under the folder: {@code pipeline.yaml}, {@code landing/} (the landing zone),
 * {@code incoming/} (where files are written before they are renamed into the landing zone, so
 * the pipeline never sees half a file) and {@code warehouse/} (the engine's data).
 */
public final class PipelineHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineSpec spec;
    private final Engine engine;
    private final LandingFolder landing;
    private final PipelineRunner runner;
    private final Path incoming;
    /**
     * The modification time of the next landed file. Files found in one scan load in (last-modified,
     * name) order, so every file gets a later time than the one before; the times lie in the past so
     * that the files are settled at once.
     */
    private Instant nextModified = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private PipelineHarness(PipelineSpec spec, Engine engine, LandingFolder landing, Path incoming) {
        this.spec = spec;
        this.engine = engine;
        this.landing = landing;
        this.incoming = incoming;
        this.runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), PipelineListener.NONE);
    }

    /**
     * Writes the spec into {@code dir}, opens its engine and prepares its tables.
     *
     * @param specBody the spec without {@code landing} and {@code engine}
     */
    public static PipelineHarness open(Path dir, String specBody, String engineType, Map<String, Object> engineOptions) {
        try {
            Files.createDirectories(dir);
            Path specFile = dir.resolve("pipeline.yaml");
            Files.writeString(specFile, specText(specBody, engineType, engineOptions));
            PipelineSpec spec = SpecLoader.load(specFile);
            Path incoming = Files.createDirectories(dir.resolve("incoming"));
            Engine engine = Engines.open(spec);
            LandingFolder landing = null;
            try {
                engine.prepare();
                landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC());
                return new PipelineHarness(spec, engine, landing, incoming);
            } catch (RuntimeException e) {
                if (landing != null) {
                    landing.close();
                }
                engine.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The full spec: the body plus the landing folder and the engine block (options included). */
    public static String specText(String specBody, String engineType, Map<String, Object> engineOptions) {
        Map<String, Object> engineBlock = new LinkedHashMap<>();
        engineBlock.put("type", engineType);
        engineBlock.put("path", "warehouse");
        engineBlock.putAll(engineOptions);
        try {
            // JSON is YAML: a flow mapping that quotes whatever the options hold.
            return "landing: landing\nengine: " + JSON.writeValueAsString(engineBlock) + "\n" + specBody.strip() + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("engine options cannot be written as YAML: " + engineOptions, e);
        }
    }

    /** The spec the engine runs: the one written, with the columns its files added to the tables (rule 1.10). */
    public PipelineSpec spec() {
        return engine.shape();
    }

    public Engine engine() {
        return engine;
    }

    /** The pipeline's scheduler, for tests of how tasks run. */
    public PipelineRunner runner() {
        return runner;
    }

    /** Lands a file, modified a second after the file landed before it. */
    public void deliver(String name, String csv) {
        deliver(name, csv, nextModified);
        nextModified = nextModified.plusSeconds(1);
    }

    /**
     * Lands a file with the given modification time (which must not lie in the future, or the file
     * is not settled): written outside the landing folder, then renamed into it in one step, so the
     * pipeline never sees half a file. A file of the same name is replaced.
     */
    public void deliver(String name, String csv, Instant lastModified) {
        try {
            Path temp = incoming.resolve(name + ".part");
            Files.writeString(temp, csv);
            Files.setLastModifiedTime(temp, FileTime.from(lastModified));
            Files.move(temp, spec.landing().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deliver(Scenario.ChangeFile file) {
        deliver(file.name(), file.csv());
    }

    /** Runs the pipeline until no file waits and no task has input, like {@code changepipe run --once}. */
    public void runUntilIdle() {
        try {
            runner.runUntilIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Lands the files in order and processes them as {@code processing} says. */
    public void process(List<Scenario.ChangeFile> files, Processing processing) {
        for (Scenario.ChangeFile file : files) {
            deliver(file);
            if (processing == Processing.FILE_BY_FILE) {
                runUntilIdle();
            }
        }
        runUntilIdle();
    }

    /** Lands the files batch by batch, running the pipeline after each batch. */
    public void processInBatches(List<List<Scenario.ChangeFile>> batches) {
        for (List<Scenario.ChangeFile> batch : batches) {
            batch.forEach(this::deliver);
            runUntilIdle();
        }
    }

    /** Quotes a spec name for the SQL of {@link #query}: core's one way of writing names into SQL. */
    public static String quote(String identifier) {
        return Identifier.quote(identifier);
    }

    public QueryResult query(String sql, Object... parameters) {
        return engine.query(sql, Arrays.asList(parameters));
    }

    /**
     * A query's rows as a canonical table. {@code columns} name the result's columns in order (they
     * need not match the driver's labels) and {@code types} say how to read each value (null: unknown).
     */
    public Table table(String sql, List<String> columns, List<ColumnType> types, Object... parameters) {
        return table(query(sql, parameters), columns, types);
    }

    /** The engine's as-of query (rule 3.5): {@code sql} with the current table's name meaning the table as of {@code asOf}. */
    public QueryResult engineQueryAsOf(String sql, List<Object> parameters, String asOf) {
        return engine.queryAsOf(sql, parameters, asOf);
    }

    /** The current table as of sequence time {@code asOf} (rule 3.5), read through the engine's as-of query. */
    public Table currentAsOf(String asOf) {
        PipelineSpec shape = engine.shape();
        List<String> columns = ReferenceModel.currentColumns(shape);
        return table(engineQueryAsOf(select(columns, shape.tables().current()), List.of(), asOf), columns,
                ReferenceModel.currentTypes(shape)).sortedBy(shape.keys());
    }

    private static Table table(QueryResult result, List<String> columns, List<ColumnType> types) {
        if (result.columns().size() != columns.size()) {
            throw new IllegalStateException("expected columns " + columns + ", the query returned " + result.columns());
        }
        List<List<String>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                cells.add(Canonical.of(row.get(i), types.get(i)));
            }
            rows.add(cells);
        }
        return new Table(columns, rows);
    }

    /** The current table, keys and value columns (those files added too, rule 1.10), sorted by the keys. */
    public Table current() {
        PipelineSpec shape = engine.shape();
        List<String> columns = ReferenceModel.currentColumns(shape);
        return table(select(columns, shape.tables().current()), columns, ReferenceModel.currentTypes(shape))
                .sortedBy(shape.keys());
    }

    /** The history table, keys, value columns (those files added too), start, end and is_current, sorted by the keys and start. */
    public Table history() {
        PipelineSpec shape = engine.shape();
        List<String> columns = ReferenceModel.historyColumns(shape);
        return table(select(columns, shape.tables().history()), columns, ReferenceModel.historyTypes(shape))
                .sortedBy(ReferenceModel.historyOrder(shape));
    }

    /** The raw table's rows of the spec's columns plus {@code _file_id, _file, _line, _rescued}, in load order. */
    public Table raw() {
        List<String> columns = new ArrayList<>(engine.shape().columns().keySet());
        List<ColumnType> types = new ArrayList<>(engine.shape().columns().values());
        columns.addAll(List.of("_file_id", "_file", "_line", TableColumns.RESCUED));
        types.addAll(Arrays.asList(ColumnType.BIGINT, ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR));
        return table(select(columns, spec.tables().raw()) + " ORDER BY _file_id, _line", columns, types);
    }

    /**
     * Each loaded file's {@code _ingested_at} (canonical), by file name, from the raw table. A name
     * loaded in several versions maps to several times; {@link #ingestionTimeOf} refuses those.
     */
    public Map<String, List<String>> ingestionTimes() {
        Table times = table("SELECT DISTINCT _file, _ingested_at, _file_id FROM " + quote(spec.tables().raw())
                        + " ORDER BY _file_id",
                List.of("_file", "_ingested_at", "_file_id"),
                Arrays.asList(ColumnType.VARCHAR, ColumnType.TIMESTAMPTZ, ColumnType.BIGINT));
        Map<String, List<String>> byFile = new TreeMap<>();
        for (List<String> row : times.rows()) {
            List<String> list = byFile.computeIfAbsent(row.get(0), f -> new ArrayList<>());
            if (!list.contains(row.get(1))) {
                list.add(row.get(1));
            }
        }
        return byFile;
    }

    /** The one ingestion time of a file, canonical; fails when the file has no rows in raw or several versions. */
    public String ingestionTimeOf(String fileName) {
        return ingestionTimeOf(fileName, ingestionTimes());
    }

    /**
     * {@link #ingestionTimeOf} for many files: the raw table is read once, at the first call, so the
     * pipeline must not load more files while the lookup is in use.
     */
    public UnaryOperator<String> ingestionTimeLookup() {
        AtomicReference<Map<String, List<String>>> times = new AtomicReference<>();
        return fileName -> ingestionTimeOf(fileName, times.updateAndGet(read -> read != null ? read : ingestionTimes()));
    }

    private static String ingestionTimeOf(String fileName, Map<String, List<String>> ingestionTimes) {
        List<String> times = ingestionTimes.get(fileName);
        if (times == null || times.size() != 1) {
            throw new IllegalStateException("file " + fileName + " has ingestion times " + times + " in the raw table");
        }
        return times.get(0);
    }

    private static String select(List<String> columns, String table) {
        return "SELECT " + String.join(", ", columns.stream().map(PipelineHarness::quote).toList())
                + " FROM " + quote(table);
    }

    @Override
    public void close() {
        try {
            landing.close();
        } finally {
            engine.close();
        }
    }
}
