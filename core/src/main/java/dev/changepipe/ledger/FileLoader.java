package dev.changepipe.ledger;

import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.fault.FaultPoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load path, the same for every engine: looks up the batch's file names in the ledger, decides each file's
 * fate ({@link LedgerBatch}), stages the files to read through the engine's {@link FileLoad} and hands it the
 * entries to commit.
 */
public final class FileLoader {
    private final Engine engine;
    private final Clock clock;

    public FileLoader(Engine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /** Loads {@code files} in the order given as one load; one outcome per file. */
    public List<FileOutcome> load(List<LandedFile> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        try {
            Map<String, List<LedgerEntry>> earlier = earlierEntries(files);
            LedgerBatch batch = new LedgerBatch(engine.ledgerPosition(), clock);
            List<FileOutcome> outcomes = new ArrayList<>(files.size());
            List<String> columnsToAdd = List.of();
            try (FileLoad load = engine.beginLoad()) {
                for (LandedFile file : files) {
                    if (!columnsToAdd.isEmpty()) {
                        // Files load in landing order (rule 1.1): those after one that adds columns wait for it.
                        outcomes.add(new FileOutcome.Deferred("an earlier file adds columns to the tables", List.of()));
                        continue;
                    }
                    FileOutcome outcome = batch.account(file, earlier.getOrDefault(file.name(), List.of()), load);
                    if (outcome instanceof FileOutcome.Deferred deferred) {
                        columnsToAdd = deferred.columnsToAdd();
                    }
                    outcomes.add(outcome);
                }
                if (!batch.isEmpty()) {
                    load.commit(batch.entries());
                    FaultPoint.LOAD_COMMITTED.reached();
                }
            }
            if (!columnsToAdd.isEmpty()) {
                // After the commit: a crash before this leaves the file unrecorded, to be read and deferred again.
                engine.addColumns(columnsToAdd);
            }
            return outcomes;
        } catch (ChangepipeException e) {
            throw e;
        } catch (Exception e) {
            throw ChangepipeException.external("loading " + files.get(0).name()
                    + (files.size() > 1 ? " and " + (files.size() - 1) + " more files" : "") + " failed: "
                    + ChangepipeException.firstLine(e.getMessage()), e);
        }
    }

    /** The ledger's entries of the batch's names, vanished ones left out, by name in file id order: one look-up. */
    private Map<String, List<LedgerEntry>> earlierEntries(List<LandedFile> files) {
        List<String> names = files.stream().map(LandedFile::name).distinct().toList();
        Map<String, List<LedgerEntry>> byName = new HashMap<>();
        for (LedgerEntry entry : engine.ledger(LedgerQuery.all().named(names).excluding(FileStatus.VANISHED))) {
            byName.computeIfAbsent(entry.name(), n -> new ArrayList<>()).add(entry);
        }
        return byName;
    }
}
