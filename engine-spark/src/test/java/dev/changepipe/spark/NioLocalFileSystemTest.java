package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system the Spark engine installs in local mode does what Hadoop's own does. */
class NioLocalFileSystemTest {
    @TempDir
    java.nio.file.Path dir;

    private static Configuration conf() {
        Configuration conf = new Configuration(false);
        NioLocalFileSystem.SETTINGS.forEach((key, value) -> conf.set(key.substring("spark.hadoop.".length()), value));
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    @Test
    void filesAndFoldersGetTheModesAsked() throws Exception {
        try (FileSystem fs = FileSystem.get(URI.create("file:///"), conf())) {
            assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
            Path folder = new Path(dir.resolve("a/b").toUri());
            assertThat(fs.mkdirs(folder, new FsPermission((short) 0750))).isTrue();
            Path file = new Path(folder, "x.json");
            try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
                out.writeBytes("{}");
            }
            fs.setPermission(file, new FsPermission((short) 0604));

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b")))).isEqualTo("rwxr-x---");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/x.json")))).isEqualTo("rw----r--");
            assertThat(Files.readString(dir.resolve("a/b/x.json"))).isEqualTo("{}");
            // Hadoop's checksum file beside it, as with the stock local file system.
            assertThat(dir.resolve("a/b/.x.json.crc")).exists();
        }
    }

    @Test
    void fileContextRenamesAsDeltaCommitsAndTellsLinksFromFiles() throws Exception {
        FileContext context = FileContext.getFileContext(URI.create("file:///"), conf());
        Path temp = new Path(dir.resolve(".00000.json.tmp").toUri());
        try (FSDataOutputStream out = context.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.writeBytes("commit");
        }
        Path commit = new Path(dir.resolve("00000.json").toUri());
        context.rename(temp, commit, Options.Rename.NONE);
        assertThat(Files.readString(dir.resolve("00000.json"))).isEqualTo("commit");
        // A second writer of the same version loses: the rename does not overwrite.
        try (FSDataOutputStream out = context.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.writeBytes("other");
        }
        assertThatThrownBy(() -> context.rename(temp, commit, Options.Rename.NONE))
                .isInstanceOf(org.apache.hadoop.fs.FileAlreadyExistsException.class);

        // Links are told apart as Hadoop's own local file system tells them (which, given a file: URI,
        // does not see a link at all); missing paths fail alike.
        Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("00000.json"));
        FileContext stock = FileContext.getFileContext(URI.create("file:///"), new Configuration());
        for (String name : List.of("link.json", "00000.json")) {
            Path path = new Path(dir.resolve(name).toUri());
            FileStatus ours = context.getFileLinkStatus(path);
            FileStatus theirs = stock.getFileLinkStatus(path);
            assertThat(List.of(ours.isSymlink(), ours.isFile(), ours.getLen(), ours.getPath()))
                    .as(name).isEqualTo(List.of(theirs.isSymlink(), theirs.isFile(), theirs.getLen(), theirs.getPath()));
        }
        assertThatThrownBy(() -> context.getFileLinkStatus(new Path(dir.resolve("missing").toUri())))
                .isInstanceOf(FileNotFoundException.class);
    }
}
