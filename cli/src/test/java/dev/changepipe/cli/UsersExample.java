package dev.changepipe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The repository's examples/users pipeline, copied into a test folder so tests never write into the repository. */
final class UsersExample {
    private UsersExample() {}

    static Path copyTo(Path dir) throws IOException {
        Path example = Path.of("..", "examples", "users");
        Files.createDirectories(dir.resolve("landing"));
        Files.copy(example.resolve("pipeline.yaml"), dir.resolve("pipeline.yaml"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(example.resolve("landing/users_1.csv"), dir.resolve("landing/users_1.csv"), StandardCopyOption.REPLACE_EXISTING);
        return dir.resolve("pipeline.yaml");
    }
}
