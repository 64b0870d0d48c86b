package dev.changepipe.conformance;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.csv.FileRefusedException;
import dev.changepipe.csv.HeaderAddsColumnsException;
import dev.changepipe.csv.RejectedRow;
import dev.changepipe.csv.RowSink;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tiny, readable fixture: a spec, the files that land (in delivery order) and the tables expected
 * once they are all processed.
 *
 * @param spec the pipeline's YAML without {@code landing} and {@code engine}, which the harness adds
 * @param files the files in the order they land
 * @param current the expected current table (keys and value columns), or null when not asserted
 * @param history the expected history table (any subset of its columns, typically without
 *     {@code is_current}), or null when not asserted; a cell {@code @name.csv} stands for that
 *     file's {@code _ingested_at}
 */
public record Scenario(String name, String spec, List<ChangeFile> files, Table current, Table history) {

    /** A landed file: its name in the landing folder and its CSV text. */
    public record ChangeFile(String name, String csv) {
        public ChangeFile {
            Objects.requireNonNull(name);
            Objects.requireNonNull(csv);
        }

        @Override
        public String toString() {
            return "--- " + name + "\n" + csv + (csv.endsWith("\n") ? "" : "\n");
        }
    }

    public Scenario {
        files = List.copyOf(files);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The same scenario with other files, for instance the same rows split or ordered differently. */
    public Scenario withFiles(List<ChangeFile> other) {
        return new Scenario(name, spec, other, current, history);
    }

    public Scenario renamed(String newName) {
        return new Scenario(newName, spec, files, current, history);
    }

    /** The spec as the reference model sees it (landing and engine do not matter to the model). */
    public PipelineSpec parseSpec(Path baseDir) {
        return SpecLoader.parse(spec + "\nlanding: landing\n", baseDir, name);
    }

    /** The accepted rows of every file as changes, file order 1, 2, ... in delivery order. */
    public List<ReferenceModel.Change> changes(PipelineSpec parsed) {
        List<ReferenceModel.Change> changes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            changes.addAll(readChanges(parsed, files.get(i), i + 1));
        }
        return changes;
    }

    /**
     * Reads a file's accepted rows with the reader every engine uses (core's {@link ChangeFileReader}):
     * the model is about what happens to changes, not about parsing, which has its own tests.
     * A refused file gives no changes.
     */
    public static List<ReferenceModel.Change> readChanges(PipelineSpec spec, ChangeFile file, long fileOrder) {
        List<String> columns = List.copyOf(spec.columns().keySet());
        List<ReferenceModel.Change> changes = new ArrayList<>();
        Path temp = null;
        try {
            temp = Files.createTempFile("changepipe-model-", ".csv");
            Files.writeString(temp, file.csv());
            new ChangeFileReader(spec).read(temp, file.name(), new RowSink() {
                @Override
                public void accept(long line, Object[] values) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), values[i]);
                    }
                    changes.add(new ReferenceModel.Change(row, fileOrder, line));
                }

                @Override
                public void reject(RejectedRow row) {
                    // Rejected rows are not changes.
                }
            });
            return changes;
        } catch (FileRefusedException e) {
            return List.of();
        } catch (HeaderAddsColumnsException e) {
            // The model reads with the spec the engine ran, whose columns include those its files added.
            throw new IllegalStateException(file.name() + ": the spec read with lacks columns its files add: "
                    + e.columns(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A temp file left behind is harmless.
                }
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("scenario '" + name + "'\n" + spec.strip() + "\n");
        files.forEach(out::append);
        return out.toString();
    }

    public static final class Builder {
        private final String name;
        private String spec;
        private final List<ChangeFile> files = new ArrayList<>();
        private Table current;
        private Table history;

        private Builder(String name) {
            this.name = name;
        }

        public Builder spec(String yaml) {
            this.spec = yaml;
            return this;
        }

        /** A file landing after the ones added before it. */
        public Builder file(String fileName, String csv) {
            files.add(new ChangeFile(fileName, csv));
            return this;
        }

        /** The expected current table, in {@link Table#parse} form. */
        public Builder current(String table) {
            this.current = Table.parse(table);
            return this;
        }

        /** The expected history table, in {@link Table#parse} form. */
        public Builder history(String table) {
            this.history = Table.parse(table);
            return this;
        }

        public Scenario build() {
            Objects.requireNonNull(spec, "spec");
            return new Scenario(name, spec, files, current, history);
        }
    }
}
