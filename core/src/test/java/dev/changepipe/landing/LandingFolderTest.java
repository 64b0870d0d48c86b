package dev.changepipe.landing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.ledger.LandedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingFolderTest {
    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration SETTLE = Duration.ofMillis(200);

    @TempDir
    Path dir;

    final List<LandingFolder> opened = new ArrayList<>();

    @AfterEach
    void closeFolders() {
        opened.forEach(LandingFolder::close);
    }

    LandingFolder folder() {
        LandingFolder folder = new LandingFolder(dir, "users_*.csv", SETTLE, CLOCK);
        opened.add(folder);
        return folder;
    }

    /** Writes {@code name} and sets its modification time to {@code age} before NOW. */
    Path land(String name, String content, Duration age) throws Exception {
        Path file = Files.writeString(dir.resolve(name), content);
        age(file, age);
        return file;
    }

    static void age(Path file, Duration age) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
    }

    static List<String> names(List<LandedFile> files) {
        return files.stream().map(LandedFile::name).toList();
    }

    @Test
    void onlyRegularFilesMatchingThePatternAreReady() throws Exception {
        LandingFolder folder = folder();
        land("users_1.csv", "a", Duration.ofSeconds(9));
        land("users_.csv", "b", Duration.ofSeconds(8));
        land("orders_1.csv", "c", Duration.ofSeconds(7));
        land("users_1.csv.tmp", "d", Duration.ofSeconds(6));
        land("USERS_2.csv", "e", Duration.ofSeconds(5));
        land("users_3.csv.gz", "f", Duration.ofSeconds(4));
        Path directory = Files.createDirectory(dir.resolve("users_dir.csv"));
        age(directory, Duration.ofSeconds(3));

        assertThat(names(folder.readyFiles())).containsExactly("users_1.csv", "users_.csv");
        assertThat(folder.hasSettlingFiles()).isFalse();
    }

    @Test
    void theFolderIsCreatedWhenMissing() {
        Path missing = dir.resolve("a/b/landing");
        LandingFolder folder = new LandingFolder(missing, "*.csv", SETTLE, CLOCK);
        opened.add(folder);

        assertThat(missing).isDirectory();
        assertThat(folder.folder()).isEqualTo(missing);
        assertThat(folder.readyFiles()).isEmpty();
    }

    @Test
    void aFileModifiedWithinTheSettleTimeIsNotReadyUntilItIsOlder() throws Exception {
        LandingFolder folder = folder();
        Path file = land("users_1.csv", "id\n1\n", Duration.ofMillis(100));

        assertThat(folder.readyFiles()).isEmpty();
        assertThat(folder.hasSettlingFiles()).isTrue();

        age(file, Duration.ofMillis(199));
        assertThat(folder.readyFiles()).isEmpty();
        assertThat(folder.hasSettlingFiles()).isTrue();

        age(file, SETTLE);
        assertThat(names(folder.readyFiles())).containsExactly("users_1.csv");
        assertThat(folder.hasSettlingFiles()).isFalse();
    }

    @Test
    void settlingIsReportedAlongsideReadyFiles() throws Exception {
        LandingFolder folder = folder();
        land("users_old.csv", "x", Duration.ofMinutes(1));
        land("users_new.csv", "y", Duration.ofMillis(10));

        assertThat(names(folder.readyFiles())).containsExactly("users_old.csv");
        assertThat(folder.hasSettlingFiles()).isTrue();
    }

    @Test
    void aFreshFileThatDoesNotMatchIsNotSettling() throws Exception {
        LandingFolder folder = folder();
        land("orders_1.csv", "x", Duration.ZERO);

        assertThat(folder.readyFiles()).isEmpty();
        assertThat(folder.hasSettlingFiles()).isFalse();
    }

    @Test
    void filesAreOrderedByLastModifiedThenName() throws Exception {
        LandingFolder folder = folder();
        land("users_a.csv", "1", Duration.ofSeconds(5));
        land("users_c.csv", "2", Duration.ofSeconds(10));
        land("users_b.csv", "3", Duration.ofSeconds(10));
        land("users_0.csv", "4", Duration.ofSeconds(1));

        assertThat(names(folder.readyFiles())).containsExactly("users_b.csv", "users_c.csv", "users_a.csv", "users_0.csv");
    }

    @Test
    void orderHoldsForRandomNamesAndTimes() throws Exception {
        Random random = new Random(314L);
        for (int round = 0; round < 10; round++) {
            Path sub = Files.createDirectory(dir.resolve("round" + round));
            LandingFolder folder = new LandingFolder(sub, "users_*.csv", SETTLE, CLOCK);
            opened.add(folder);
            record Landed(String name, Instant modified) {}
            List<Landed> landed = new ArrayList<>();
            int count = 1 + random.nextInt(15);
            for (int i = 0; i < count; i++) {
                String name = "users_" + Integer.toString(random.nextInt(100_000), 36) + ".csv";
                if (landed.stream().anyMatch(l -> l.name.equals(name))) {
                    continue;
                }
                Instant modified = NOW.minusSeconds(1 + random.nextInt(4)); // few distinct times: many ties
                Path file = Files.writeString(sub.resolve(name), name);
                Files.setLastModifiedTime(file, FileTime.from(modified));
                landed.add(new Landed(name, modified));
            }
            landed.sort(Comparator.comparing(Landed::modified).thenComparing(Landed::name));

            assertThat(names(folder.readyFiles())).containsExactlyElementsOf(landed.stream().map(Landed::name).toList());
        }
    }

    @Test
    void aHandledFileIsHiddenUntilItsSizeOrModificationTimeChanges() throws Exception {
        LandingFolder folder = folder();
        Path file = land("users_1.csv", "id\n1\n", Duration.ofSeconds(30));
        land("users_2.csv", "id\n2\n", Duration.ofSeconds(20));

        LandedFile first = folder.readyFiles().get(0);
        assertThat(first.name()).isEqualTo("users_1.csv");
        folder.markHandled(first);
        assertThat(names(folder.readyFiles())).containsExactly("users_2.csv");
        assertThat(names(folder.readyFiles())).containsExactly("users_2.csv");

        age(file, Duration.ofSeconds(25));
        assertThat(names(folder.readyFiles())).containsExactly("users_1.csv", "users_2.csv");

        folder.markHandled(folder.readyFiles().get(0));
        assertThat(names(folder.readyFiles())).containsExactly("users_2.csv");

        Files.writeString(file, "id\n1\n3\n");
        age(file, Duration.ofSeconds(25)); // same time as when handled; only the size differs
        List<LandedFile> again = folder.readyFiles();
        assertThat(names(again)).containsExactly("users_1.csv", "users_2.csv");
        assertThat(again.get(0).size()).isEqualTo(7);
    }

    @Test
    void aHandledFileThatIsRewrittenSettlesAgain() throws Exception {
        LandingFolder folder = folder();
        Path file = land("users_1.csv", "a", Duration.ofSeconds(30));
        folder.markHandled(folder.readyFiles().get(0));

        Files.writeString(file, "ab");
        age(file, Duration.ofMillis(50));

        assertThat(folder.readyFiles()).isEmpty();
        assertThat(folder.hasSettlingFiles()).isTrue();
    }

    @Test
    void aLandedFileDescribesTheFileAndHashesItsBytes() throws Exception {
        LandingFolder folder = folder();
        byte[] bytes = new byte[200_000];
        new Random(5L).nextBytes(bytes);
        Path file = dir.resolve("users_bin.csv");
        Files.write(file, bytes);
        age(file, Duration.ofSeconds(3));

        LandedFile landed = folder.readyFiles().get(0);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(landed.contentHash()).isEqualTo(expected).hasSize(64).isLowerCase();
        assertThat(landed.name()).isEqualTo("users_bin.csv");
        assertThat(landed.path()).isEqualTo(file);
        assertThat(landed.size()).isEqualTo(bytes.length);
        assertThat(landed.lastModified()).isEqualTo(NOW.minusSeconds(3));
    }

    @Test
    void theHashOfAKnownTextIsItsSha256() throws Exception {
        LandingFolder folder = folder();
        land("users_abc.csv", "abc", Duration.ofSeconds(1));
        land("users_empty.csv", "", Duration.ofSeconds(2));

        List<LandedFile> files = folder.readyFiles();

        assertThat(files.get(0).contentHash()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(files.get(1).contentHash()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void awaitChangeReturnsFalseWhenNothingHappens() throws Exception {
        LandingFolder folder = folder();

        long start = System.nanoTime();
        boolean changed = folder.awaitChange(Duration.ofMillis(300));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(changed).isFalse();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(250);
    }

    @Test
    void awaitChangeReturnsTrueSoonAfterAFileIsCreated() throws Exception {
        LandingFolder folder = folder();
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(200);
                Files.writeString(dir.resolve("users_new.csv"), "id\n");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });

        long start = System.nanoTime();
        writer.start();
        boolean changed = folder.awaitChange(Duration.ofSeconds(30));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        writer.join();

        assertThat(changed).isTrue();
        assertThat(elapsedMillis).isBetween(150L, 10_000L);
    }

    @Test
    void awaitChangeAfterCloseReturnsFalse() throws Exception {
        LandingFolder folder = new LandingFolder(dir, "users_*.csv", SETTLE, CLOCK);
        folder.close();

        assertThat(folder.awaitChange(Duration.ofSeconds(5))).isFalse();
    }
}
