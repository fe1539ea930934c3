package uk.anprhub.ingest;

/** How the camera listener hands a whole request to the ingest core: through Camel or by a direct call. */
@FunctionalInterface
interface CameraIngest {

    IngestOutcome ingest(HttpFeed.Request request, HttpAdmission.Ticket ticket);

    /** A direct call: the least CPU per request, no route metrics. */
    static CameraIngest direct(HttpFeed feed) {
        return (request, ticket) -> feed.ingest(request.message(), request.refused(), ticket);
    }

    /**
     * Through {@code direct:anpr-ingest}, as every other transport: the route's metrics and Hawtio see camera
     * requests too. The route applies the outcome decided at the door and the deadline ({@link IngestRoutes}).
     */
    static CameraIngest viaCamel(org.apache.camel.ProducerTemplate camel) {
        return (request, ticket) -> {
            org.apache.camel.Exchange done = camel.send("direct:anpr-ingest", e -> {
                e.getMessage().setBody(request.message());
                if (request.refused() != null) {
                    e.setProperty(HttpFeed.RESULT, request.refused());
                }
                e.setProperty(HttpFeed.TICKET, ticket);
            });
            if (done.getException() != null) {
                throw new IllegalStateException("the ingest route failed", done.getException());
            }
            return done.getMessage().getBody(IngestOutcome.class);
        };
    }
}
