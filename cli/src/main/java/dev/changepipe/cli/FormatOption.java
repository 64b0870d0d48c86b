package dev.changepipe.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of the commands that print rows. */
final class FormatOption {
    @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json",
            description = "table, csv (header row, NULL as an empty field, booleans true/false) or json. Default: ${DEFAULT-VALUE}.")
    ResultFormat format;
}
