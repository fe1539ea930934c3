package uk.anprhub.search;

/** A search that is not allowed as asked (out of bounds or malformed): answered 400. The message never quotes a plate. */
public class SearchRefusedException extends RuntimeException {

    public SearchRefusedException(String message) {
        super(message);
    }
}
