package dev.changepipe.cli.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Who may see the dashboard: a browser that opened a login link, and so holds the session cookie; and
 * {@code /metrics} with the metrics token as a bearer header. A login link carries a one-time code, never the query
 * endpoint's token: {@code run} prints one at start, where logs may keep it, and once used it opens nothing
 * ({@code changepipe dashboard} asks for a fresh one). Requests naming another host than loopback are refused, so
 * that a web page cannot reach the port through a name it rebinds to 127.0.0.1.
 */
final class DashboardAccess {
    static final String COOKIE = "changepipe_dashboard";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Unused login codes are few: a new one beyond that pushes out the oldest. */
    private static final int CODES = 16;

    private final String session;
    private final java.util.LinkedHashSet<String> codes = new java.util.LinkedHashSet<>();
    private final String metricsToken;
    private final Set<String> hosts;

    DashboardAccess(String token, String metricsToken, int port) {
        this.metricsToken = metricsToken;
        // The cookie is derived from the token, not the token itself: a cookie that leaks cannot call the query API.
        this.session = sha256("changepipe dashboard session\n" + token);
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    boolean fromLoopbackName(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host != null && hosts.contains(host.toLowerCase(java.util.Locale.ROOT));
    }

    /** A new one-time login code. */
    synchronized String newLoginCode() {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String code = HexFormat.of().formatHex(secret);
        codes.add(code);
        if (codes.size() > CODES) {
            codes.remove(codes.iterator().next());
        }
        return code;
    }

    /** Whether {@code presented} is an unused login code; it is used up by this call. */
    synchronized boolean redeem(String presented) {
        for (String code : codes) {
            if (presented != null && same(presented, code)) {
                codes.remove(code);
                return true;
            }
        }
        return false;
    }

    /** The login's answer: the cookie scripts cannot read and other sites' pages never send. */
    String sessionCookie() {
        return COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict";
    }

    boolean hasSession(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : headers) {
            for (String part : header.split(";")) {
                String[] pair = part.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals(COOKIE) && same(pair[1], session)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean hasMetricsToken(HttpExchange exchange) {
        String presented = exchange.getRequestHeaders().getFirst("Authorization");
        return presented != null && same(presented, "Bearer " + metricsToken);
    }

    private static boolean same(String presented, String expected) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
