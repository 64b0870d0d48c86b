package dev.changepipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerQueryTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static LedgerEntry entry(long id, String name, String location, FileStatus status) {
        return new LedgerEntry(id, name, location, 10, "hash", T, status, 1, 0, null, T, 1, null, null);
    }

    @Test
    void eachFilterNarrowsWhatMatchesAndTheyCombine() {
        LedgerEntry a = entry(1, "a.csv", "/in/a.csv", FileStatus.LOADED);
        LedgerEntry b = entry(2, "b.csv", "s3://bucket/p_%/b.csv", FileStatus.VANISHED);
        assertThat(LedgerQuery.all().matches(a)).isTrue();
        assertThat(LedgerQuery.all().matches(b)).isTrue();
        assertThat(LedgerQuery.all().named(List.of("b.csv")).matches(a)).isFalse();
        assertThat(LedgerQuery.all().excluding(FileStatus.VANISHED).matches(b)).isFalse();
        assertThat(LedgerQuery.all().under("s3://bucket/p_%/").matches(b)).isTrue();
        assertThat(LedgerQuery.all().under("s3://bucket/p_x/").matches(b)).as("no wildcards").isFalse();
        assertThat(LedgerQuery.all().after(1).matches(a)).isFalse();
        assertThat(LedgerQuery.all().after(1).matches(b)).isTrue();
        assertThat(LedgerQuery.all().before(2).matches(b)).isFalse();
        assertThat(LedgerQuery.all().named(List.of("a.csv")).excluding(FileStatus.LOADED).matches(a)).isFalse();
    }

    @Test
    void theLatestPageIsNewestFirstAndLimited() {
        LedgerQuery latest = LedgerQuery.latest(20);
        assertThat(latest.newestFirst()).isTrue();
        assertThat(latest.limit()).isEqualTo(20);
        assertThat(latest.statuses()).isEqualTo(EnumSet.allOf(FileStatus.class));
        assertThat(LedgerQuery.all().newestFirst()).isFalse();
        assertThat(LedgerQuery.all().named(List.of("a", "a", "b")).names()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aQueryWithoutStatusesOrWithANegativeLimitIsRefused() {
        assertThatThrownBy(() -> LedgerQuery.all().excluding(FileStatus.LOADED, FileStatus.values()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> LedgerQuery.all().first(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void aStatusIsStoredAsItsWordAndReadBack() {
        for (FileStatus status : FileStatus.values()) {
            assertThat(FileStatus.of(status.word())).isEqualTo(status);
        }
        assertThat(FileStatus.LOADED_WITH_REJECTS.word()).isEqualTo("loaded_with_rejects");
        assertThatThrownBy(() -> FileStatus.of("done")).isInstanceOf(IllegalArgumentException.class);
    }
}
