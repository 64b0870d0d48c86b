package dev.changepipe.landing;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;

/** The landing zone cannot be read for now (a timeout, a store that answers 5xx or not at all); trying again later may work. */
public final class LandingUnavailableException extends ChangepipeException {
    public LandingUnavailableException(String message, Throwable cause) {
        super(ErrorCategory.EXTERNAL_ERROR, message, cause);
    }
}
