package dev.changepipe.landing;

import dev.changepipe.ledger.LandedFile;
import java.time.Duration;
import java.util.List;

/**
 * Where a pipeline finds its files: what {@link dev.changepipe.schedule.PipelineRunner} needs from a
 * local folder ({@link LandingFolder}) or a bucket (the {@code landing-s3} module). Used by one thread.
 *
 * <p>The contract that keeps loading exactly once: a file handed out by {@link #readyFiles()} is handed
 * out again, in later calls, until {@link #markHandled} says its load committed; after that it is not,
 * unless it changes. Every {@link LandedFile#path()} handed out is a local file the engine can read
 * until it is marked handled.
 */
public interface LandingZone extends AutoCloseable {

    /** The landing zone in messages: a folder, or {@code s3://bucket/prefix at endpoint}. */
    String location();

    /**
     * Files ready to load and not handled yet in their current form, in (last-modified, name) order.
     * A zone may hand out only the first part of a long list; the rest follows in later calls.
     *
     * @throws LandingUnavailableException when the zone cannot be read for now (a network store that
     *     does not answer); the caller tries again later and nothing is lost
     */
    List<LandedFile> readyFiles();

    /** Remembers that {@code file}'s load committed (or that it was recorded), so that it is not handed out again unless it changes. */
    void markHandled(LandedFile file);

    /** Whether the last {@link #readyFiles()} saw files still being written. */
    boolean hasSettlingFiles();

    /** How long until the first file still being written is ready if it does not change; zero when none is settling. */
    Duration untilFirstSettled();

    /** Waits until the zone may hold new files or {@code timeout} passes; true when it is worth looking again. */
    boolean awaitChange(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
