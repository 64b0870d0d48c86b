package dev.changepipe.cli.dashboard;

import dev.changepipe.error.ChangepipeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bearer token {@code /metrics} asks for. Prometheus reads it from a file ({@code authorization: credentials_file}),
 * so unlike the query endpoint's token it must not change when the pipeline restarts: it is made once, at random, in
 * the warehouse folder, readable by its owner only, and kept.
 */
public final class MetricsToken {
    public static final String NAME = "metrics-token";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private MetricsToken() {}

    public static Path path(Path folder) {
        return folder.resolve(NAME);
    }

    /** The folder's token, made on first use. Refuses a token file that others may read: it may have leaked. */
    public static String readOrCreate(Path folder) {
        return readOrCreate(folder, NAME);
    }

    /** A stable owner-only secret of the folder in file {@code name}, made on first use (the SQL door's token too). */
    public static String readOrCreate(Path folder, String name) {
        Path file = folder.resolve(name);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(folder);
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                Path temp = folder.resolve(name + ".tmp");
                Files.deleteIfExists(temp);
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(temp, HexFormat.of().formatHex(secret) + "\n");
                // A second process racing here keeps whichever file arrived first.
                try {
                    Files.move(temp, file);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    Files.deleteIfExists(temp);
                }
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw ChangepipeException.user(file + " may be read by others (" + PosixFilePermissions.toString(permissions)
                        + "); make it owner-only (chmod 600) or delete it for a new token");
            }
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw ChangepipeException.user(file + " is empty; delete it for a new token");
            }
            return token;
        } catch (IOException e) {
            throw ChangepipeException.external("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }
}
