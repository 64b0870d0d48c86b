package dev.changepipe.spec;

/** The tables a pipeline owns. Rejects and the change feed are named after raw and current. */
public record TableNames(String raw, String current, String history) {
    public String rejects() {
        return raw + "_rejects";
    }

    public String changes() {
        return current + "_changes";
    }
}
