package dev.changepipe.spec;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import java.util.List;

/** Every problem found in a pipeline spec, each prefixed with the path of the field it concerns. */
public final class SpecException extends ChangepipeException {
    private final List<String> problems;

    public SpecException(String source, List<String> problems) {
        super(ErrorCategory.USER_ERROR, "invalid pipeline spec " + source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
