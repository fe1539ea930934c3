package uk.anprhub.ingest;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of a picture answer, at most {@code keep} bytes: what follows is not read (the subscription is cancelled,
 * which closes the connection), so a camera that sends more than a picture's limit costs no more memory than that.
 */
final class PictureFetchBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long keep;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    PictureFetchBody(long keep) {
        this.keep = keep;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            int n = (int) Math.min(b.remaining(), keep - out.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.write(chunk, 0, n);
        }
        if (out.size() >= keep) {
            subscription.cancel();
            result.complete(out.toByteArray());
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
