package dev.changepipe.cli.generate;

import java.nio.file.Path;

/**
 * A change file that is complete and in place under its final {@code customer_<yyyyMMddHHmmss>.csv} name.
 *
 * @param path      the final path
 * @param rows      data rows in the file, header excluded, dirty rows included
 * @param dirtyRows how many of those rows are deliberately malformed
 */
public record GeneratedFile(Path path, int rows, int dirtyRows) {
}
