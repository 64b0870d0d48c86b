package dev.changepipe.cli.door;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Who may pass the SQL door: a client that sends the door's token, either as a bearer token on every call (the JDBC
 * URL's {@code token=}) or as the password of user {@code changepipe} in Flight's basic handshake, which then answers
 * with the token as the bearer for the calls that follow.
 */
final class DoorAuth implements CallHeaderAuthenticator {
    static final String USER = "changepipe";

    private final byte[] token;

    DoorAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public AuthResult authenticate(CallHeaders headers) {
        String authorization = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
        if (authorization != null && authorization.startsWith(Auth2Constants.BEARER_PREFIX)) {
            if (matches(authorization.substring(Auth2Constants.BEARER_PREFIX.length()))) {
                return () -> USER;
            }
        } else if (authorization != null && authorization.startsWith(Auth2Constants.BASIC_PREFIX)) {
            String pair = decode(authorization.substring(Auth2Constants.BASIC_PREFIX.length()));
            int colon = pair.indexOf(':');
            if (colon > 0 && pair.substring(0, colon).equals(USER) && matches(pair.substring(colon + 1))) {
                String bearer = new String(token, StandardCharsets.UTF_8);
                return new AuthResult() {
                    @Override
                    public String getPeerIdentity() {
                        return USER;
                    }

                    @Override
                    public void appendToOutgoingHeaders(CallHeaders outgoing) {
                        if (outgoing.get(Auth2Constants.AUTHORIZATION_HEADER) == null) {
                            outgoing.insert(Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + bearer);
                        }
                    }
                };
            }
        }
        // One answer for a missing, a wrong and a malformed secret: nothing tells a guesser which part was wrong.
        throw CallStatus.UNAUTHENTICATED.withDescription("the SQL door needs its token (bearer, or the password of user "
                + USER + ")").toRuntimeException();
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
