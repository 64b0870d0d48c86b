package dev.changepipe.cli.door;

import dev.changepipe.error.ChangepipeException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The SQL door's options, shared by {@code run} and {@code demo}. Loopback unless the user opts in, and then only with TLS. */
public final class DoorOptions {
    @Option(names = "--no-sql-door", description = "Do not serve the SQL door (Arrow Flight SQL).")
    boolean disabled;

    @Option(names = "--sql-door-port", paramLabel = "PORT", description = "The SQL door's port (default: one the system picks).")
    int port;

    @Option(names = "--sql-door-bind", paramLabel = "HOST", description = "The address the SQL door listens on (default 127.0.0.1). "
            + "Any other than loopback needs --sql-door-remote and TLS (--sql-door-tls-cert, --sql-door-tls-key).")
    String bind = "127.0.0.1";

    @Option(names = "--sql-door-remote", description = "Allow the SQL door to listen on an address other machines reach (needs TLS).")
    boolean remote;

    @Option(names = "--sql-door-tls-cert", paramLabel = "PEM", description = "The SQL door's certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--sql-door-tls-key", paramLabel = "PEM", description = "The SQL door's private key (PEM, PKCS#8).")
    Path tlsKey;

    public DoorOptions() {}

    /** Options given in code (tests, the benchmark): loopback, no TLS. */
    public static DoorOptions loopback(int port) {
        DoorOptions options = new DoorOptions();
        options.port = port;
        return options;
    }

    public boolean enabled() {
        return !disabled;
    }

    boolean tls() {
        return tlsCert != null || tlsKey != null;
    }

    /** Checks the options before anything starts; each problem names the option that fixes it. */
    public void check() {
        if (port < 0 || port > 65_535) {
            throw ChangepipeException.user("--sql-door-port: " + port + " is not a port (0-65535)");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw ChangepipeException.user("--sql-door-tls-cert and --sql-door-tls-key go together: give both or neither");
        }
        if (tls()) {
            for (Path file : new Path[] {tlsCert, tlsKey}) {
                if (!Files.isReadable(file)) {
                    throw ChangepipeException.user("SQL door TLS file " + file + " cannot be read");
                }
            }
        }
        if (!loopback()) {
            if (!remote) {
                throw ChangepipeException.user("--sql-door-bind " + bind + " is not a loopback address: add --sql-door-remote "
                        + "to let other machines reach the SQL door (and TLS: --sql-door-tls-cert, --sql-door-tls-key)");
            }
            if (!tls()) {
                throw ChangepipeException.user("--sql-door-remote needs TLS: give --sql-door-tls-cert and --sql-door-tls-key, "
                        + "so that the token never crosses the network in clear");
            }
        }
    }

    boolean loopback() {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw ChangepipeException.user("--sql-door-bind: unknown host " + bind);
        }
    }
}
