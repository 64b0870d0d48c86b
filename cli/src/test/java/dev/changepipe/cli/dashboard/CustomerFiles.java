package dev.changepipe.cli.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * A fixed workload for the built-in customer pipeline with known outcomes: one clean file, one with a rejected line,
 * one refused, and (by {@link #redeliver}) the clean file again.
 */
final class CustomerFiles {
    static final String HEADER = "customer_id,first_name,last_name,email,street,city,state,country,update_timestamp,op\n";
    static final String CLEAN = "customer_20260101000000.csv";
    static final String WITH_REJECT = "customer_20260101000100.csv";
    static final String REFUSED = "customer_20260101000200.csv";
    /** The line of {@link #WITH_REJECT} whose customer_id is not a number (the header is line 1). */
    static final long REJECTED_LINE = 3;

    private CustomerFiles() {}

    static void write(Path landing) throws IOException {
        Files.createDirectories(landing);
        Instant past = Instant.now().minusSeconds(120);
        write(landing.resolve(CLEAN), HEADER
                + "1,Ada,Lovelace,ada@example.com,1 Main St,Boston,MA,USA,2026-01-01 00:00:00,I\n"
                + "2,Alan,Turing,alan@example.com,2 Main St,Austin,TX,USA,2026-01-01 00:00:00,I\n"
                + "3,Grace,Hopper,grace@example.com,3 Main St,Boston,MA,USA,2026-01-01 00:00:00,I\n", past);
        write(landing.resolve(WITH_REJECT), HEADER
                + "1,Ada,Lovelace,ada@example.com,9 Elm St,Denver,CO,USA,2026-01-01 00:01:00,U\n"
                + "x,Bad,Row,bad@example.com,0 Nowhere,Nowhere,NA,USA,2026-01-01 00:01:00,I\n"
                + "4,Edsger,Dijkstra,ed@example.com,4 Main St,Austin,TX,USA,2026-01-01 00:01:00,I\n", past.plusSeconds(1));
        // A header without the spec's key column: refused whole.
        write(landing.resolve(REFUSED), "first_name,last_name\nNo,Key\n", past.plusSeconds(2));
    }

    /** The clean file again, same bytes, a new modification time: recorded as a re-delivery. */
    static void redeliver(Path landing) throws IOException {
        Path file = landing.resolve(CLEAN);
        Files.writeString(file, Files.readString(file));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }

    private static void write(Path file, String text, Instant modified) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
