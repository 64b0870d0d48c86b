package dev.changepipe.spec.predicate;
public class PredicateException extends IllegalArgumentException {
    public PredicateException(String m) { super(m); }
}
