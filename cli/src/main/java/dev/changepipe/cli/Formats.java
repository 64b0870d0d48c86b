package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import java.util.Locale;

final class Formats {
    private Formats() {}

    static ResultFormat parse(String name) {
        try {
            return ResultFormat.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user("--format: unknown format '" + name + "'; use table, csv or json");
        }
    }
}
