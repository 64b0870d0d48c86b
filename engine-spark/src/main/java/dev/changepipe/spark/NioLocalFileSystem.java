package dev.changepipe.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system, with file modes set and symbolic links told apart through {@code java.nio}.
 * Without Hadoop's native library (which no Maven artifact carries) the stock one starts a {@code chmod}
 * process for every file and folder it creates and a {@code readlink} process for every rename: about
 * twenty processes per Delta commit, each forked from the pipeline's JVM, measured as about a tenth of
 * the time of the Spark tests. Everything else — checksum files, renames, listing — is Hadoop's own.
 *
 * <p>{@link #SETTINGS} installs it for {@code file:} paths, both for Hadoop's {@code FileSystem} API and
 * for its {@code FileContext} API ({@link Fs}), which Delta uses to commit.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
    /** The Hadoop settings, as Spark settings, that make {@code file:} paths use this file system. */
    static final Map<String, String> SETTINGS = Map.of(
            "spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName(),
            "spark.hadoop.fs.AbstractFileSystem.file.impl", Fs.class.getName());

    public NioLocalFileSystem() {
        super(new Raw());
    }

    /** The {@code FileContext} side: Hadoop's {@code LocalFs} over {@link Raw}. */
    public static final class Fs extends ChecksumFs {
        public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(new RawFs(uri, conf));
        }
    }

    /** Hadoop's {@code RawLocalFs}, whose constructors are not public, over {@link Raw}. */
    static final class RawFs extends DelegateToFileSystem {
        RawFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new Raw(), conf, "file", false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1;
        }

        @Override
        public FsServerDefaults getServerDefaults(Path path) throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        @SuppressWarnings("deprecation")
        public FsServerDefaults getServerDefaults() throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public boolean isValidName(String src) {
            return true;
        }
    }

    static final class Raw extends RawLocalFileSystem {
        /** {@link FsPermission#toShort()}'s bits, lowest first. */
        private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
            short bits = permission.toShort();
            for (int i = 0; i < BITS.length; i++) {
                if ((bits & (1 << i)) != 0) {
                    mode.add(BITS[i]);
                }
            }
            Files.setPosixFilePermissions(pathToFile(path).toPath(), mode);
        }

        @Override
        public FileStatus getFileLinkStatus(Path path) throws IOException {
            // Only a link needs Hadoop's way of reading its target.
            return Files.isSymbolicLink(pathToFile(path).toPath()) ? super.getFileLinkStatus(path) : getFileStatus(path);
        }
    }
}
